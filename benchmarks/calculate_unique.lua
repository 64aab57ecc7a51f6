-- wrk script: a different calculation request on every call (no two bodies alike), so every request
-- is parsed, validated and calculated: the answer memo never hits.
local counter = 0
local thread_id = 0
local next_id = 0

function setup(thread)
    next_id = next_id + 1
    thread:set("thread_id", next_id)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
    counter = counter + 1
    local amount = string.format("%d.%06d mL", 30 + thread_id, counter)
    local body = '{"carrier": "sweet-almond", "amount": "' .. amount .. '", "dilution": "2%", ' ..
        '"oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}], "profile": {"age_years": 40}}'
    return wrk.format(nil, nil, nil, body)
end
