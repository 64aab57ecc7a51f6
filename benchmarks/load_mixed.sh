#!/usr/bin/env bash
# A mixed load on the app under gunicorn as the README deploys it: readers, calculations and checks whose bodies
# never repeat, the web calculator's result page, and editors' writes (PATCH with If-Match), for a while.
#
# Usage: bash benchmarks/load_mixed.sh [seconds=60] [connections=64]
#
# Starts `gunicorn -w 2 -b 127.0.0.1:<port> app:app` with SECRET_KEY and a new SQLite database in a temporary
# folder (or DATABASE_URL from the environment: then it must be a scratch PostgreSQL database, as oils'
# descriptions are overwritten and two accounts are added), makes an editor and an admin with `flask users create
# --password-stdin` and a bearer token for each with `flask tokens create`, warms up for 3 s, then runs wrk
# (2 threads, benchmarks/load_mixed.lua). It prints requests/s, latency p50/p99, the answers by status class, the
# socket errors, and each gunicorn worker's RSS (VmRSS) at start, half-way and at the end. Exit status 1 when any
# answer was a 5xx or any connection failed. Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
connections="${2:-64}"
workdir="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server"
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/load.sqlite3}"
export OIL_BLENDS_INSTANCE_PATH="$workdir/instance"
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
password="load-mixed-password-$$"

# The accounts and their tokens (the app migrates and seeds the database on this first start).
printf '%s\n' "$password" | flask --app app users create "edna$$" --role editor --password-stdin >/dev/null
printf '%s\n' "$password" | flask --app app users create "ada$$" --role admin --password-stdin >/dev/null
TOKEN_EDITOR="$(flask --app app tokens create "edna$$" --days 1 --label load_mixed 2>/dev/null)"
TOKEN_ADMIN="$(flask --app app tokens create "ada$$" --days 1 --label load_mixed 2>/dev/null)"
export TOKEN_EDITOR TOKEN_ADMIN

# The README's deployment command; the control socket is put in the temporary folder so that this server
# neither takes nor removes another gunicorn's (~/.gunicorn/gunicorn.ctl).
gunicorn -w 2 -b "127.0.0.1:$port" --control-socket "$workdir/gunicorn.ctl" app:app >"$workdir/gunicorn.log" 2>&1 &
server=$!
until curl -sf -o /dev/null "$base/healthz"; do
    kill -0 "$server" 2>/dev/null || { cat "$workdir/gunicorn.log"; exit 1; }
    sleep 0.2
done

rss() {  # each worker's VmRSS in MiB
    local line=""
    for pid in $(ps -o pid= --ppid "$server" | sort -n); do
        line+="$(awk -v pid="$pid" '/^VmRSS:/ {printf "worker %s %.1f MiB  ", pid, $2 / 1024}' "/proc/$pid/status")"
    done
    echo "${line%  }"
}

echo "== load_mixed: $seconds s, $connections connections, database ${DATABASE_URL%%:*}, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RSS after start-up (no request yet): $(rss)"
wrk -t2 -c"$connections" -d3s -s benchmarks/load_mixed.lua "$base/" >/dev/null  # warm-up: every kind of request once
echo "RSS at start (after a 3 s warm-up):  $(rss)"
(sleep "$((seconds / 2))"; echo "RSS half-way:                       $(rss)" >"$workdir/middle") &
sampler=$!
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s --latency -s benchmarks/load_mixed.lua "$base/" >"$workdir/wrk.txt"
wait "$sampler"
cat "$workdir/middle"
echo "RSS at the end:                     $(rss)"
grep -v '^RESULT' "$workdir/wrk.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

result="$(grep '^RESULT' "$workdir/wrk.txt")"
five_xx="$(sed -n 's/.*s5xx=\([0-9]*\).*/\1/p' <<<"$result")"
socket_errors="$(sed -n 's/.*socket_errors=\([0-9]*\).*/\1/p' <<<"$result")"
if grep -q 'Traceback' "$workdir/gunicorn.log"; then
    echo "FAIL: the server logged a traceback:"; grep -m1 -A20 'Traceback' "$workdir/gunicorn.log"; exit 1
fi
if [ "$five_xx" != "0" ] || [ "$socket_errors" != "0" ]; then
    echo "FAIL: $five_xx answers were 5xx and $socket_errors connections failed"
    exit 1
fi
echo "OK: no 5xx, no socket error"
