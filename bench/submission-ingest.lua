-- wrk script for bench/submission-ingest.sh. Arguments (after --): TARGETS_FILE MODE RUN
--   TARGETS_FILE  one target a line: the unit's submission path (/u/{token}/tasks/t1) for MODE
--                 "handler", the unit id for MODE "baseline" (posted to /ingest)
--   RUN           a word that makes this run's notes differ from another run's (warm-up, measured)
-- done() writes one line of key=value results to $WRK_RESULT_FILE (default: stdout).
-- Each request goes to the next target of its thread's rotation (the threads on disjoint halves) and carries a note no other
-- request has, so the handler's 30-second same-content dedupe never turns a post into a read.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  targets = {}
  for line in io.lines(args[1]) do
    if #line > 0 then targets[#targets + 1] = line end
  end
  mode = args[2]
  run = args[3] or ""
  n = 0
  created = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json"
end

function request()
  n = n + 1
  -- The two threads walk disjoint halves of the units, so requests in flight at once are (almost
  -- always) different units, as in real use: one office per unit. Same-unit races are the tests' job.
  local target = targets[(n + id * math.floor(#targets / 2)) % #targets + 1]
  local note = string.format("Báo cáo tiến độ %s, luồng %d, lần %d", run, id, n)
  if mode == "baseline" then
    return wrk.format(nil, "/ingest", nil, string.format('{"unit":"%s","status":"done","note":"%s"}', target, note))
  end
  -- As programs are told to (README): each post carries its own Idempotency-Key.
  -- (a headers table replaces wrk.headers, so it repeats them)
  local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json", ["Idempotency-Key"] = string.format("%s-%d-%d", run, id, n) }
  return wrk.format(nil, target, headers, string.format('{"status":"done","note":"%s"}', note))
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
  end
  local e = summary.errors
  local line = string.format(
    "requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d created=%d other_status=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    c, o, e.connect + e.read + e.write, e.timeout)
  local path = os.getenv("WRK_RESULT_FILE")
  local f = path and io.open(path, "w") or io.stdout
  f:write(line)
  if path then f:close() end
end
