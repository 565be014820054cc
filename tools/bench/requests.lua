-- wrk script for `make bench` (tools/bench/run.py writes the targets file it reads).
--
--   wrk -t2 -c20 -d10s -s tools/bench/requests.lua http://127.0.0.1:PORT -- TARGETS THREADS
--
-- TARGETS has one request per line, tab-separated:
--   member  method  path  cookie  csrftoken  toggle
-- member: the bench member's number (0 for pages nobody signs in to); cookie: the Cookie
-- header ("-" for none); csrftoken: the X-CSRFToken header ("-" for none); toggle: "1" for the
-- htmx tick, which posts state=done then state=open (and so on) to the same item, so every
-- request writes.
--
-- Each wrk thread takes the lines of the members numbered thread, thread + THREADS, ... (so
-- no two threads tick one member's items, and each thread's alternation is the item's real
-- state), or every line when it has none of its own (the anonymous pages). Requests go round
-- the thread's lines in turn, so consecutive requests, and so the thread's connections,
-- rotate over members and items. done() prints one JSON line for run.py.

local next_thread = 0

function setup(thread)
   thread:set("thread_number", next_thread)
   next_thread = next_thread + 1
end

local targets = {}
local count = 0
local position = 0
-- wrk calls the first thread's request() once right after init() to check the request it
-- makes (script_verify_request) and never sends that one: it must not flip a tick.
local verifying = false

local function split(line)
   local fields = {}
   for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      fields[#fields + 1] = field
   end
   return fields
end

local function build(method, path, cookie, csrftoken, state)
   local headers = {}
   if cookie ~= "-" then
      headers["Cookie"] = cookie
   end
   local body = nil
   if state then
      body = "state=" .. state
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["HX-Request"] = "true"
      headers["HX-Current-URL"] = "http://127.0.0.1" .. path
   end
   if csrftoken ~= "-" then
      headers["X-CSRFToken"] = csrftoken
   end
   return wrk.format(method, path, headers, body)
end

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
   local threads = tonumber(args[2]) or 1
   local mine, all = {}, {}
   for line in file:lines() do
      if line ~= "" then
         local f = split(line)
         local member, method, path, cookie, csrftoken, toggle =
            tonumber(f[1]), f[2], f[3], f[4], f[5], f[6]
         local target = { done = false }
         if toggle == "1" then
            target.on = build(method, path, cookie, csrftoken, "done")
            target.off = build(method, path, cookie, csrftoken, "open")
         else
            target.fixed = build(method, path, cookie, csrftoken, nil)
         end
         all[#all + 1] = target
         if member % threads == thread_number then
            mine[#mine + 1] = target
         end
      end
   end
   file:close()
   targets = (#mine > 0) and mine or all
   count = #targets
   position = thread_number % count
   verifying = thread_number == 0
end

function request()
   if verifying then
      verifying = false
      local first = targets[position % count + 1]
      return first.fixed or (first.done and first.on or first.off)
   end
   position = position % count + 1
   local target = targets[position]
   if target.fixed then
      return target.fixed
   end
   target.done = not target.done
   return target.done and target.on or target.off
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, '
         .. '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, '
         .. '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
      e.status, e.timeout, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean))
end
