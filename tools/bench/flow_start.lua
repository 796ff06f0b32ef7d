-- wrk script for tools/bench_server.sh: POST /api/recovery/flows, each
-- request with a new identifier (e-mail, phone, account ID in turn; every
-- tenth the demo account, so known and unknown identifiers are both timed).

local threads = {}

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function request()
   counter = counter + 1
   local n = tid * 10000000 + counter
   local identifier
   if counter % 10 == 0 then
      identifier = "demo@example.com"
   elseif counter % 3 == 0 then
      identifier = "bench" .. n .. "@example.com"
   elseif counter % 3 == 1 then
      identifier = string.format("+491512%07d", n % 10000000)
   else
      identifier = string.format("3%08d", n % 100000000)
   end
   return wrk.format("POST", "/api/recovery/flows", headers,
      '{"identifier":"' .. identifier .. '","locale":"en"}')
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.0f non2xx=%d connect=%d read=%d write=%d timeout=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
