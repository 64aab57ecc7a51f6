#!/usr/bin/env bash
# Worker memory after 100,000 calculations, against the bare Flask echo app under the same gunicorn settings.
#
# Usage: bash benchmarks/rss_100k.sh [requests=100000] [connections=16]
#
# Runs, one after the other, `gunicorn -w 2 app:app` (SECRET_KEY, a new SQLite database in a temporary folder, or
# DATABASE_URL from the environment) and `gunicorn -w 2 --chdir benchmarks echo_app:app`, and sends each one
# `requests` POSTs with wrk (2 threads): calculations whose bodies never repeat (benchmarks/calculate_unique.lua,
# so every request is parsed, validated and calculated) to /api/v1/blends/calculate, and the same bodies to the
# echo's /echo. It prints each worker's RSS (VmRSS) after start-up (0 requests), after half and after all of them,
# for both servers, and the app's worker RSS over the echo's. Bars: the app's workers within 1.5x of the echo's,
# and flat (within 10 % from half-way to the end). Exit status 1 when a request got a non-2xx answer. wrk's socket
# errors are printed, not fatal: gunicorn's sync workers close the connection after each answer, so 100,000
# requests open 100,000 connections on loopback, more than the ephemeral ports, and a port reused while its last
# connection is in TIME_WAIT may see its SYN dropped (a connection late by 1-7 s, a wrk "timeout").
set -euo pipefail
cd "$(dirname "$0")/.."
total="${1:-100000}"
connections="${2:-16}"
half=$((total / 2))
workdir="$(mktemp -d)"
server=""
stop_server() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    server=""
}
trap 'stop_server; rm -rf "$workdir"' EXIT

# calculate_unique.lua, each wrk thread stopping after its share of the requests (REQUESTS_PER_THREAD answers)
# and leaving a file DONE_PREFIX<thread> (wrk itself waits for its whole duration: the script then stops it)
cat >"$workdir/counted.lua" <<'LUA'
dofile("benchmarks/calculate_unique.lua")
local limit = tonumber(os.getenv("REQUESTS_PER_THREAD"))
local answered = 0
function response(status, headers, body)
    answered = answered + 1
    if answered == limit then
        io.open(os.getenv("DONE_PREFIX") .. thread_id, "w"):close()
        wrk.thread:stop()
    end
end
LUA

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/rss.sqlite3}"
export OIL_BLENDS_INSTANCE_PATH="$workdir/instance"
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

rss() {  # each worker's VmRSS in MiB, and the workers' mean (the last field)
    local line="" sum=0 n=0 kb
    for pid in $(ps -o pid= --ppid "$server" | sort -n); do
        kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
        line+="$(awk -v pid="$pid" -v kb="$kb" 'BEGIN {printf "worker %s %.1f MiB  ", pid, kb / 1024}')"
        sum=$((sum + kb)); n=$((n + 1))
    done
    echo "$line$(awk -v s="$sum" -v n="$n" 'BEGIN {printf "%.1f", s / n / 1024}')"
}
strip_mean() { sed 's/ *[0-9.]*$//' <<<"$1"; }
mean_of() { awk '{print $NF}' <<<"$1"; }

measure() {  # name app-module directory path
    gunicorn -w 2 -b "127.0.0.1:$port" --control-socket "$workdir/gunicorn.ctl" --chdir "$3" "$2" \
        >"$workdir/$1.log" 2>&1 &
    server=$!
    until curl -s -o /dev/null "http://127.0.0.1:$port/"; do
        kill -0 "$server" 2>/dev/null || { cat "$workdir/$1.log"; exit 1; }
        sleep 0.2
    done
    local start middle end
    start="$(rss)"
    for phase in 1 2; do
        rm -f "$workdir"/done.*
        DONE_PREFIX="$workdir/done." REQUESTS_PER_THREAD=$((half / 2)) \
            wrk -t2 -c"$connections" -d3600s --timeout 5s -s "$workdir/counted.lua" "http://127.0.0.1:$port/$4" \
            >"$workdir/$1-$phase.txt" &
        local client=$!
        until [ "$(find "$workdir" -name 'done.*' | wc -l)" -ge 2 ] || ! kill -0 "$client" 2>/dev/null; do
            sleep 0.2
        done
        kill -INT "$client" 2>/dev/null || true  # both threads are done: wrk prints its figures and ends
        wait "$client" || true
        if grep -q 'Non-2xx' "$workdir/$1-$phase.txt"; then
            echo "FAIL: $1, phase $phase:"; cat "$workdir/$1-$phase.txt"; exit 1
        fi
        if [ "$phase" = 1 ]; then middle="$(rss)"; else end="$(rss)"; fi
    done
    local answered
    answered="$(cat "$workdir/$1-1.txt" "$workdir/$1-2.txt" | awk '/requests in/ {n += $1} END {print n}')"
    echo "== $1: $answered requests, $(grep -h 'Requests/sec' "$workdir/$1-2.txt" | tr -s ' ') (second half)"
    grep -h 'Socket errors' "$workdir/$1-1.txt" "$workdir/$1-2.txt" | sed 's/^ */  wrk /' || true
    echo "  RSS at 0:       $(strip_mean "$start")"
    echo "  RSS at $half:   $(strip_mean "$middle")"
    echo "  RSS at $total:  $(strip_mean "$end")"
    eval "${1//-/_}_start=$(mean_of "$start") ${1//-/_}_middle=$(mean_of "$middle") ${1//-/_}_end=$(mean_of "$end")"
    stop_server
}

echo "== rss_100k: $total requests to each server, $connections connections, database ${DATABASE_URL%%:*}, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure echo echo_app:app benchmarks echo
measure app app:app . api/v1/blends/calculate
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck disable=SC2154  # set by measure's eval
awk -v es="$echo_start" -v em="$echo_middle" -v ee="$echo_end" -v as="$app_start" -v am="$app_middle" -v ae="$app_end" '
BEGIN {
    printf "mean worker RSS, echo: %.1f -> %.1f -> %.1f MiB; app: %.1f -> %.1f -> %.1f MiB\n", es, em, ee, as, am, ae
    printf "app over echo at the end: %.2fx (bar 1.5x); growth from half-way to the end: echo %+.1f %%, app %+.1f %% (bar 10 %%)\n", ae / ee, (ee / em - 1) * 100, (ae / am - 1) * 100
    printf "growth from start-up to the end: echo %+.1f MiB, app %+.1f MiB\n", ee - es, ae - as
}'
