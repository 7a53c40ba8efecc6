-- wrk script: POST to one hot counter. The request is fixed, so wrk formats it once instead of
-- calling into Lua for every request (wrk shares the cores with the server under test).
wrk.method = "POST"
wrk.path = "/counter/hot"
