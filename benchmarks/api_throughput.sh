#!/usr/bin/env bash
# POST /api/v1/blends/calculate under gunicorn against a bare Flask JSON echo app with the same settings, in the
# same run, and the ratios of the app's figures to the echo's (the bars: new bodies at least 0.75 of the echo's
# throughput, p99 within 1.5x; a repeated body at least 0.9).
# Needs wrk (apt-get install wrk). Usage: bash benchmarks/api_throughput.sh [seconds]
# SQLite in a temporary folder by default; DATABASE_URL=postgresql+psycopg://... measures on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

run() {  # name app-module port directory path wrk-script
    gunicorn -w 2 -b "127.0.0.1:$3" --chdir "$4" "$2" >"$workdir/$1.log" 2>&1 &
    local pid=$!
    until curl -s -o /dev/null "http://127.0.0.1:$3/"; do sleep 0.2; done
    wrk -t2 -c16 -d"${seconds}s" --latency -s "benchmarks/$6" "http://127.0.0.1:$3/$5" >"$workdir/$1.wrk"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$workdir/$1.wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$workdir/$1.wrk")
    errors=$(grep -E "Non-2xx|Socket errors" "$workdir/$1.wrk" || true)
    printf '%-24s %10s req/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors"
    echo "$1 $rps $p99" >>"$workdir/figures"
}

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/bench.sqlite3}"
echo "database: ${DATABASE_URL%%:*}, ${seconds} s per server, gunicorn -w 2, wrk -t2 -c16"
run echo echo_app:app 8101 benchmarks echo calculate.lua
# Every body different (the amount changes on each request): each one is parsed, validated and calculated.
run new-bodies app:app 8103 . api/v1/blends/calculate calculate_unique.lua
# The same body every time: answered from the answer memo.
run repeated-body app:app 8102 . api/v1/blends/calculate calculate.lua

# wrk prints latencies with their unit (us, ms, s): compare them in microseconds.
awk '
    function us(text) { if (text ~ /ms$/) return text * 1000; if (text ~ /us$/) return text + 0; return text * 1e6 }
    { rps[$1] = $2; p99[$1] = us($3) }
    END {
        printf "new bodies:    %.2f of the echo throughput, p99 %.2fx\n", rps["new-bodies"] / rps["echo"], p99["new-bodies"] / p99["echo"]
        printf "repeated body: %.2f of the echo throughput, p99 %.2fx\n", rps["repeated-body"] / rps["echo"], p99["repeated-body"] / p99["echo"]
    }' "$workdir/figures"
