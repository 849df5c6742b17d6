-- wrk script for bench/run's start-up warm-up: cycles through several POST requests on each connection, so that
-- every endpoint's code gets JIT-compiled before any measurement.
-- Usage: wrk ... -s bench/mixed.lua URL -- TOKEN PATH1 BODY_FILE1 [PATH2 BODY_FILE2 ...]

local requests = {}
local n = 0

function init(args)
  local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1] }
  for i = 2, #args, 2 do
    local f = assert(io.open(args[i + 1], "rb"))
    local body = f:read("*a")
    f:close()
    table.insert(requests, wrk.format("POST", args[i], headers, body))
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format('BENCH_RESULT {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d}}\n', summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
end
