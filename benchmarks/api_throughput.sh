#!/usr/bin/env bash
# POST /api/v1/blends/calculate under gunicorn against a bare Flask JSON echo app with the same settings, in the
# same run, and the ratios of the app's figures to the echo's (the bars: new bodies at least 0.75 of the echo's
# throughput, p99 within 1.5x; a repeated body at least 0.9). New bodies are measured twice: the amount moving
# (calculate_unique.lua), and the person, the parts and the amount all moving (calculate_unique_people.lua).
# Both servers run side by side and the loads take turns (echo, new bodies, repeated body) for several rounds: a
# 2-core machine's speed drifts by 10 % and more within a minute, and a ratio taken within one round of a few
# seconds is not thrown by it. Each round's ratio is printed, then the median of the rounds.
# Needs wrk (apt-get install wrk). Usage: bash benchmarks/api_throughput.sh [seconds per load] [rounds]
# SQLite in a temporary folder by default; DATABASE_URL=postgresql+psycopg://... measures on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
rounds="${2:-5}"
workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

serve() {  # app-module port directory
    gunicorn -w 2 -b "127.0.0.1:$2" --chdir "$3" "$1" >>"$workdir/gunicorn.log" 2>&1 &
    until curl -s -o /dev/null "http://127.0.0.1:$2/"; do sleep 0.2; done
}

load() {  # name port path wrk-script: one wrk run; appends "name req/s p99" to the round's figures
    wrk -t2 -c16 -d"${seconds}s" --latency -s "benchmarks/$4" "http://127.0.0.1:$2/$3" >"$workdir/$1.wrk"
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$workdir/$1.wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$workdir/$1.wrk")
    errors=$(grep -E "Non-2xx|Socket errors" "$workdir/$1.wrk" || true)
    printf '  %-15s %9s req/s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors"
    echo "$1 $rps $p99" >>"$workdir/round"
}

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/bench.sqlite3}"
echo "database: ${DATABASE_URL%%:*}; gunicorn -w 2, wrk -t2 -c16; ${rounds} rounds of ${seconds} s per load"
serve echo_app:app 8101 benchmarks
serve app:app 8102 .
for round in $(seq "$rounds"); do
    echo "round $round"
    : >"$workdir/round"
    # The echo gets the same never-repeating bodies, so that wrk does the same work per request for both servers.
    load echo 8101 echo calculate_unique.lua
    # Every body different (the amount changes on each request): each one is parsed, validated and calculated.
    load new-bodies 8102 api/v1/blends/calculate calculate_unique.lua
    # The same body every time: answered from the answer memo.
    load repeated-body 8102 api/v1/blends/calculate calculate.lua
    # A new person in every body too (age, skin, conditions, sun), three oils whose parts move: nothing remembered
    # per person or per amount is used twice in a row. The echo is sent the same bodies.
    load echo-people 8101 echo calculate_unique_people.lua
    load new-people 8102 api/v1/blends/calculate calculate_unique_people.lua
    # wrk prints latencies with their unit (us, ms, s): compare them in microseconds.
    awk '
        function us(text) { if (text ~ /ms$/) return text * 1000; if (text ~ /us$/) return text + 0; return text * 1e6 }
        { rps[$1] = $2; p99[$1] = us($3) }
        END {
            printf "%.3f %.3f %.3f %.3f %.3f %.3f\n", rps["new-bodies"] / rps["echo"], p99["new-bodies"] / p99["echo"],
                rps["repeated-body"] / rps["echo"], p99["repeated-body"] / p99["echo"],
                rps["new-people"] / rps["echo-people"], p99["new-people"] / p99["echo-people"]
        }' "$workdir/round" | tee -a "$workdir/ratios" |
        awk '{printf "  ratios: new bodies %.2f (p99 %.2fx), repeated body %.2f (p99 %.2fx), new people %.2f (p99 %.2fx)\n", $1, $2, $3, $4, $5, $6}'
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf "median of %s rounds:\n" "$rounds"
printf "new bodies:    %.2f of the echo throughput, p99 %.2fx\n" \
    "$(cut -d' ' -f1 "$workdir/ratios" | median)" "$(cut -d' ' -f2 "$workdir/ratios" | median)"
printf "repeated body: %.2f of the echo throughput, p99 %.2fx\n" \
    "$(cut -d' ' -f3 "$workdir/ratios" | median)" "$(cut -d' ' -f4 "$workdir/ratios" | median)"
printf "new people:    %.2f of the echo throughput, p99 %.2fx\n" \
    "$(cut -d' ' -f5 "$workdir/ratios" | median)" "$(cut -d' ' -f6 "$workdir/ratios" | median)"
