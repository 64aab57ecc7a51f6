#!/usr/bin/env bash
# POST /api/v1/blends/calculate under gunicorn against a bare Flask JSON echo app with the same settings,
# in the same run (the project's bar: at least 85 % of the echo's throughput, p99 within 2x).
# Needs wrk (apt-get install wrk). Usage: bash benchmarks/api_throughput.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

run() {  # name app-module port directory path [wrk script]
    gunicorn -w 2 -b "127.0.0.1:$3" --chdir "$4" "$2" >"$workdir/$1.log" 2>&1 &
    local pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$3/"; do sleep 0.2; done
    echo "== $1"
    wrk -t2 -c16 -d"${seconds}s" --latency -s "benchmarks/${6:-calculate.lua}" "http://127.0.0.1:$3/$5" | grep -E "Requests/sec|99%|Non-2xx"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

export DATABASE_URL="sqlite:///$workdir/bench.sqlite3" SECRET_KEY=bench
run echo echo_app:app 8101 benchmarks echo
run calculate app:app 8102 . api/v1/blends/calculate
# Every body different: the answer memo never hits, each request is parsed, validated and calculated.
run calculate-unique-bodies app:app 8103 . api/v1/blends/calculate calculate_unique.lua
