-- wrk script for bench/loadgen.py: GET requests taken in turn from a file of request targets.
--
-- Arguments (after wrk's "--"): TARGETS_FILE ACCEPT START [SUFFIX]
--   request i (counted from START across all connections) is target (i mod n), plus, when a SUFFIX is
--   given, SUFFIX .. i (loadgen.py passes its URL-encoded trailing comment), so no text is sent twice.
-- wrk runs for its -d duration (it has no request budget: a stopped thread still waits it out).
-- done() prints what loadgen.py reads: "result ok answered sent duration_us bytes socket_errors",
-- "latency MICROSECONDS COUNT" lines (wrk's histogram), and "error FIRST_ERROR".
-- Run with -t 1: one thread, so one counter for all connections.

local targets, accept, start, suffix = {}, "*/*", 0, nil
sent, answered, ok, first_error = 0, 0, 0, ""

function init(args)
  for line in io.lines(args[1]) do targets[#targets + 1] = line end
  accept, start, suffix = args[2], tonumber(args[3]), args[4]
end

function request()
  local i = start + sent
  sent = sent + 1
  local target = targets[(i % #targets) + 1]
  if suffix then target = target .. suffix .. i end
  return wrk.format("GET", target, {Accept = accept})
end

function response(status, headers, body)
  answered = answered + 1
  if status == 200 then
    ok = ok + 1
  elseif first_error == "" then
    first_error = "HTTP " .. status .. ": " .. string.sub(body or "", 1, 200)
  end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, requests)
  local thread, e = threads[1], summary.errors
  io.write(string.format("result %d %d %d %d %d %d\n", thread:get("ok"), thread:get("answered"),
    thread:get("sent"), summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout))
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("latency %d %d\n", value, count))
  end
  io.write("error " .. string.gsub(thread:get("first_error"), "%s", " ") .. "\n")
end
