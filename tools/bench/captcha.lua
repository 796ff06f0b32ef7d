-- wrk script for tools/bench_server.sh: GET /api/recovery/flows/{id}/captcha
-- over the flow ids in the file named by the environment variable
-- BENCH_FLOW_IDS, each of the BENCH_THREADS threads starting at its own
-- offset (and each walking the ids in order) so that two
-- connections rarely ask for the same flow at once (a parallel new challenge
-- for one flow may lose the race with 409 `flow.conflict`).

local threads = {}

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

local paths = {}
local i = 0

function init(args)
   for id in io.lines(os.getenv("BENCH_FLOW_IDS")) do
      table.insert(paths, "/api/recovery/flows/" .. id .. "/captcha")
   end
   i = tid * math.floor(#paths / tonumber(os.getenv("BENCH_THREADS") or "1"))
end

function request()
   i = i + 1
   return wrk.format("GET", paths[(i % #paths) + 1])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d seconds=%.2f rps=%.0f non2xx=%d connect=%d read=%d write=%d timeout=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
