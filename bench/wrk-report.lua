-- wrk script for bench/load.sh and bench/cluster.sh: counts non-2xx responses in every thread and
-- prints one machine-readable line per run with throughput, latency percentiles (ms) and errors.
--
-- Without arguments every request asks the URL given to wrk. With arguments (after `--`) the requests
-- go round the paths given; a path starting with "!" is asked with a session cookie, which the page
-- cache never answers, so that request is rendered from the database:
--   wrk ... -s bench/wrk-report.lua http://127.0.0.1:18120 -- / /kalender/ '!/programmas/'
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local paths, counter = {}, 0

function init(args)
  non2xx = 0
  app = 0
  paths = args
  counter = math.random(0, 1000)
end

function request()
  if #paths == 0 then
    return wrk.request()
  end
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if path:sub(1, 1) == "!" then
    return wrk.format("GET", path:sub(2), {["Cookie"] = "sessionid=bench-no-such-session"})
  end
  return wrk.format("GET", path)
end

-- Answered by an app server rather than from nginx's copy (HIT, STALE, UPDATING): nginx says MISS,
-- EXPIRED, REVALIDATED or BYPASS, and nothing when it keeps no cache at all.
local from_nginx = {HIT = true, STALE = true, UPDATING = true}

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if not from_nginx[headers["X-Cache-Status"]] then
    app = app + 1
  end
end

function done(summary, latency, requests)
  local bad, app_total = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    app_total = app_total + thread:get("app")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%.2f p95=%.2f p99=%.2f non2xx=%d connect=%d read=%d write=%d timeout=%d app=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    bad, e.connect, e.read, e.write, e.timeout, app_total))
end
