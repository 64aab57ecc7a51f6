-- wrk script for benchmarks/load_mixed.sh: a mixed load of readers, calculations, checks, web pages and editors.
--
-- Every wrk thread cycles through MIX (40 requests): oil lists and searches, oil reads, calculations and checks
-- whose bodies never repeat (the answer memo never hits), the web calculator's result page (a different amount
-- each time), and one editor write: a PATCH of an oil's description with the ETag last seen for that oil in
-- If-Match (200, or 412 when another connection changed the oil first: both are expected). Each thread writes its
-- own oils, with its own bearer token (the editor's on odd threads, the admin's on even ones).
--
-- Environment: TOKEN_EDITOR, TOKEN_ADMIN (bearer tokens). done() prints the figures and a RESULT line that the
-- shell script reads: requests, 2xx/3xx/4xx/5xx counts, 412s, socket errors.

local MIX = {
    "list", "calc", "read", "calc", "check", "calc", "search", "page", "calc", "read_target",
    "calc", "list", "calc", "read", "check", "calc", "search", "page", "calc", "read_target",
    "calc", "list", "calc", "read", "check", "calc", "search", "page", "calc", "read_target",
    "calc", "list", "calc", "read", "check", "calc", "search", "page", "read_target", "write",
}
local READS = {"lavender", "peppermint", "tea-tree", "rosemary", "frankincense", "geranium", "ginger", "jojoba",
    "sweet-almond", "coconut", "clove-bud", "cedarwood", "black-pepper", "clary-sage", "ylang-ylang"}
-- Oils written by each thread (descriptions only: not a safety figure, so an editor's change applies at once).
local TARGETS = {
    {"grapeseed", "apricot-kernel", "argan", "avocado"},
    {"olive", "sunflower", "macadamia", "rosehip"},
    {"marjoram", "juniper", "cypress", "vetiver"},
    {"patchouli", "sandalwood", "rose", "helichrysum"},
}
local SEARCHES = {"lav", "pepper", "mint", "rose", "cedar", "orange", "tea", "chamomile", "zz"}
local KINDS = {"list", "search", "read", "read_target", "calc", "check", "page", "write"}

local threads = {}
local next_id = 0

function setup(thread)
    next_id = next_id + 1
    thread:set("thread_id", next_id)
    table.insert(threads, thread)
end

-- per thread (each wrk thread has its own Lua state)
thread_id = 0
sent = {}
statuses = {}
etags = {}
written = {}  -- descriptions written and not yet seen in an answer
writes_200 = 0  -- writes seen saved (in their own answer or in a later read of the oil)
writes_412 = 0
local position = 0
local number = 0
local token = nil
local targets = nil

function init(args)
    token = os.getenv(thread_id % 2 == 1 and "TOKEN_EDITOR" or "TOKEN_ADMIN")
    targets = TARGETS[(thread_id - 1) % #TARGETS + 1]
    for _, kind in ipairs(KINDS) do sent[kind] = 0 end
    for class = 1, 5 do statuses[class] = 0 end
end

local function pick(list)
    return list[number % #list + 1]
end

local function target()
    return targets[math.floor(number / #MIX) % #targets + 1]
end

local json_headers = {["Content-Type"] = "application/json"}

function request()
    position = position % #MIX + 1
    number = number + 1
    local kind = MIX[position]
    sent[kind] = sent[kind] + 1
    local tag = string.format("%d%07d", thread_id, number)
    if kind == "list" then
        return wrk.format("GET", string.format("/api/v1/oils?kind=essential&page=%d&page_size=20", number % 4 + 1))
    elseif kind == "search" then
        return wrk.format("GET", "/api/v1/oils?q=" .. pick(SEARCHES))
    elseif kind == "read" then
        return wrk.format("GET", "/api/v1/oils/" .. pick(READS))
    elseif kind == "read_target" then
        return wrk.format("GET", "/api/v1/oils/" .. target())
    elseif kind == "calc" then
        local body = string.format('{"carrier": "sweet-almond", "amount": "%d.%s mL", "dilution": "2%%", ' ..
            '"oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}], ' ..
            '"profile": {"age_years": 40}}', 20 + thread_id, tag)
        return wrk.format("POST", "/api/v1/blends/calculate", json_headers, body)
    elseif kind == "check" then
        local body = string.format('{"carrier": "jojoba", "amount": "%d.%s mL", ' ..
            '"oils": [{"oil": "lavender", "drops": %d}, {"oil": "tea-tree", "drops": 2}], ' ..
            '"profile": {"age_years": 40}}', 10 + thread_id, tag, number % 30 + 1)
        return wrk.format("POST", "/api/v1/blends/check", json_headers, body)
    elseif kind == "page" then
        return wrk.format("GET", string.format("/?carrier=sweet-almond&amount=%d.%s&unit=mL" ..
            "&oils-0-oil=lavender&oils-0-parts=2&oils-1-oil=peppermint", 30 + thread_id, tag))
    else -- write
        local slug = target()
        local headers = {
            ["Content-Type"] = "application/json",
            ["Authorization"] = "Bearer " .. token,
            ["If-Match"] = etags[slug] or '"none"',
        }
        written["load test edit " .. tag] = true
        local body = string.format('{"description": "load test edit %s", "comment": "benchmarks/load_mixed"}', tag)
        return wrk.format("PATCH", "/api/v1/oils/" .. slug, headers, body)
    end
end

function response(status, headers, body)
    local class = math.floor(status / 100)
    if class >= 1 and class <= 5 then statuses[class] = statuses[class] + 1 end
    if status == 412 then writes_412 = writes_412 + 1 end
    -- an oil's entry (a read or a write's answer) starts with its slug: keep its ETag for the next write
    local etag = headers["ETag"] or headers["etag"]
    if etag and body then
        local slug = string.match(body, '^{"slug":"([^"]+)"')
        if slug then
            etags[slug] = etag
            local description = string.match(body, '"description":"(load test edit %d+)"')
            if status == 200 and description and written[description] then
                written[description] = nil
                writes_200 = writes_200 + 1
            end
        end
    end
end

function done(summary, latency, requests)
    local totals = {0, 0, 0, 0, 0}
    local kinds = {}
    local ok, stale = 0, 0
    for _, kind in ipairs(KINDS) do kinds[kind] = 0 end
    for _, thread in ipairs(threads) do
        local counts = thread:get("statuses")
        for class = 1, 5 do totals[class] = totals[class] + counts[class] end
        local sent_by = thread:get("sent")
        for _, kind in ipairs(KINDS) do kinds[kind] = kinds[kind] + sent_by[kind] end
        ok = ok + thread:get("writes_200")
        stale = stale + thread:get("writes_412")
    end
    local seconds = summary.duration / 1e6
    local e = summary.errors
    local socket_errors = e.connect + e.read + e.write + e.timeout
    io.write(string.format("requests: %d in %.1f s = %.1f requests/s\n", summary.requests, seconds,
        summary.requests / seconds))
    io.write(string.format("latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000))
    io.write(string.format("status: 2xx %d, 3xx %d, 4xx %d (of which 412 %d), 5xx %d\n",
        totals[2], totals[3], totals[4], stale, totals[5]))
    io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
        e.connect, e.read, e.write, e.timeout))
    local parts = {}
    for _, kind in ipairs(KINDS) do table.insert(parts, string.format("%s %d", kind, kinds[kind])) end
    io.write("sent: " .. table.concat(parts, ", ") .. "\n")
    io.write(string.format("editor writes: %d seen saved (200), %d refused for a stale ETag (412)\n", ok, stale))
    io.write(string.format("RESULT requests=%d s2xx=%d s3xx=%d s4xx=%d s5xx=%d socket_errors=%d\n",
        summary.requests, totals[2], totals[3], totals[4], totals[5], socket_errors))
end
