-- wrk script: POST to one of 1,000 counters chosen at random.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("POST", "/counter/c" .. math.random(1, 1000))
end
