-- wrk script: POST the same calculation request on every call.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"carrier": "sweet-almond", "amount": "30 mL", "dilution": "2%", "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}], "profile": {"age_years": 40}}'
