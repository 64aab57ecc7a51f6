#!/usr/bin/env bash
# Before and after in the same rounds: the bare echo app, the app at an earlier git revision and the app as it is
# in this checkout, served side by side under the same gunicorn settings (gunicorn -w 2, wrk -t2 -c16), taking
# turns with bodies that never repeat (calculate_unique.lua). Each round prints the three throughputs and the
# ratios to the echo's; the machine's drift between rounds then moves all three alike.
# Needs wrk and git. Usage: bash benchmarks/compare_revisions.sh REVISION [seconds per load] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
revision="${1:?usage: compare_revisions.sh REVISION [seconds] [rounds]}"
seconds="${2:-5}"
rounds="${3:-6}"
workdir="$(mktemp -d)"
git worktree add --detach -q "$workdir/before" "$revision"
trap 'kill $(jobs -p) 2>/dev/null || true; git worktree remove --force "$workdir/before"; rm -rf "$workdir"' EXIT

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
gunicorn -w 2 -b 127.0.0.1:8111 --chdir benchmarks echo_app:app >>"$workdir/gunicorn.log" 2>&1 &
# The earlier revision's package first on the path, ahead of this checkout's editable install
DATABASE_URL="sqlite:///$workdir/before.sqlite3" PYTHONPATH="$workdir/before/src" \
    gunicorn -w 2 -b 127.0.0.1:8112 --chdir "$workdir/before" app:app >>"$workdir/gunicorn.log" 2>&1 &
DATABASE_URL="sqlite:///$workdir/now.sqlite3" gunicorn -w 2 -b 127.0.0.1:8113 app:app >>"$workdir/gunicorn.log" 2>&1 &
for port in 8111 8112 8113; do until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done; done

rps() {  # port script path
    wrk -t2 -c16 -d"${seconds}s" -s "benchmarks/$2" "http://127.0.0.1:$1/$3" | awk '/Requests\/sec/ {print $2}'
}
echo "new bodies, ${rounds} rounds of ${seconds} s per load; before = $(git rev-parse --short "$revision"), now = this checkout"
for round in $(seq "$rounds"); do
    echo "$(rps 8111 calculate_unique.lua echo) $(rps 8112 calculate_unique.lua api/v1/blends/calculate)" \
        "$(rps 8113 calculate_unique.lua api/v1/blends/calculate)" |
        awk '{printf "echo %8.1f   before %8.1f (%.2f)   now %8.1f (%.2f)\n", $1, $2, $2 / $1, $3, $3 / $1}' |
        tee -a "$workdir/rounds"
done
awk '{ echo += $2; before += $4; now += $7 }
     END { printf "mean: echo %.1f, before %.1f (%.2f), now %.1f (%.2f) req/s; now/before %.3f\n",
                  echo / NR, before / NR, before / echo, now / NR, now / echo, now / before }' "$workdir/rounds"
