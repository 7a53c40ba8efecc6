-- wrk script: POST to one of 1,000 counters chosen at random. The 1,000 requests are formatted
-- once per thread (in init, where wrk's Host header is known); each request only draws one, so
-- wrk's own CPU per request (it shares the cores with the server under test) stays small.
local requests = {}

init = function(args)
  for i = 1, 1000 do
    requests[i] = wrk.format("POST", "/counter/c" .. i)
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

request = function()
  return requests[math.random(1, 1000)]
end
