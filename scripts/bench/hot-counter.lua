-- wrk script: POST to one hot counter.
request = function()
  return wrk.format("POST", "/counter/hot")
end
