#!/usr/bin/env bash
# Cold start of `oil-blends calc` against building a bare pint registry, measured by hyperfine.
# Run from the repository root with the package installed: bash benchmarks/cli_cold.sh
set -euo pipefail
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install -y hyperfine)"; exit 1; }
request=$(mktemp)
trap 'rm -f "$request"' EXIT
cat >"$request" <<'JSON'
{"carrier": "sweet-almond", "amount": "30 mL", "dilution": "1 drop per teaspoon",
 "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
 "profile": {"conditions": ["neuropathy"]}}
JSON
hyperfine --warmup 3 --runs 30 -N \
    'python -c "import pint; pint.UnitRegistry()"' \
    "oil-blends calc --request $request --json" \
    "oil-blends calc --carrier jojoba --amount '2 fl oz' --oil lavender:2 --oil frankincense"
