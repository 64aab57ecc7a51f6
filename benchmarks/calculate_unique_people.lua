-- wrk script: a different calculation request on every call, and a different person in each: the age (in
-- months), the skin, the conditions, the parts of three oils and the amount all move from one request to the next,
-- so that nothing remembered per person, per dilution or per amount text is used twice in a row.
local counter = 0
local thread_id = 0
local next_id = 0

function setup(thread)
    next_id = next_id + 1
    thread:set("thread_id", next_id)
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local skins = {"normal", "sensitive", "normal", "damaged"}
local conditions = {'[]', '["neuropathy"]', '["diabetes"]', '[]', '["asthma"]'}

function request()
    counter = counter + 1
    local n = counter * 2 + thread_id
    local age = 18 + (n % 900) / 12.0
    local amount = string.format("%d.%04d mL", 20 + n % 40, n % 10000)
    local body = '{"carrier": "jojoba", "amount": "' .. amount .. '", "dilution": "1%", ' ..
        '"oils": [{"oil": "lavender", "parts": ' .. (1 + n % 5) .. '}, {"oil": "frankincense", "parts": ' ..
        (1 + n % 3) .. '}, {"oil": "geranium", "parts": 1}], "profile": {"age_years": ' ..
        string.format("%.4f", age) .. ', "skin": "' .. skins[1 + n % 4] .. '", "conditions": ' ..
        conditions[1 + n % 5] .. ', "sun_exposure": ' .. ((n % 2 == 0) and "true" or "false") .. '}}'
    return wrk.format(nil, nil, nil, body)
end
