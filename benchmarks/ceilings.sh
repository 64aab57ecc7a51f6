#!/usr/bin/env bash
# How far validation and the engine keep new bodies from the echo's throughput, and the CPU a request costs.
# Four servers side by side under the same gunicorn settings (gunicorn -w 2, wrk -t2 -c16, bodies that never
# repeat: calculate_unique.lua), taking turns round after round: the bare echo, the app, the app with the engine
# made free (benchmarks/ceiling_app.py, OIL_BLENDS_CEILING=engine: validated, then answered with a document made
# once) and the app with validation and the engine made free (OIL_BLENDS_CEILING=all). For each load it prints the
# throughput, its ratio to the same round's echo, and the CPU time per request of the server's two workers and of
# the whole machine (user, system and interrupt time of every process, wrk and the kernel's network work included;
# from /proc). The last lines are the means over the rounds.
# Needs wrk and Linux's /proc. Usage: bash benchmarks/ceilings.sh [seconds per load] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
rounds="${2:-5}"
workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT
tick_us=$((1000000 / $(getconf CLK_TCK)))

export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_hex(32))')"
gunicorn -w 2 -b 127.0.0.1:8121 --chdir benchmarks echo_app:app >>"$workdir/gunicorn.log" 2>&1 &
echo "echo $! 8121 echo" >>"$workdir/servers"
DATABASE_URL="sqlite:///$workdir/app.sqlite3" gunicorn -w 2 -b 127.0.0.1:8122 app:app >>"$workdir/gunicorn.log" 2>&1 &
echo "app $! 8122 api/v1/blends/calculate" >>"$workdir/servers"
port=8122
for skipped in engine all; do
    port=$((port + 1))
    OIL_BLENDS_CEILING="$skipped" DATABASE_URL="sqlite:///$workdir/$skipped.sqlite3" \
        gunicorn -w 2 -b "127.0.0.1:$port" --chdir benchmarks ceiling_app:app >>"$workdir/gunicorn.log" 2>&1 &
    echo "$([ "$skipped" = engine ] && echo engine-free || echo both-free) $! $port api/v1/blends/calculate" >>"$workdir/servers"
done
for port in 8121 8122 8123 8124; do until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done; done

worker_ticks() {  # the gunicorn master's pid: user + system ticks of its workers
    local total=0 pid
    for pid in $(pgrep -P "$1"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }  # user nice system irq softirq

echo "${rounds} rounds of ${seconds} s per load; bodies that never repeat; CPU in µs per request"
for round in $(seq "$rounds"); do
    echo "round $round"
    while read -r name master port path; do
        workers_before=$(worker_ticks "$master")
        machine_before=$(machine_ticks)
        wrk -t2 -c16 -d"${seconds}s" -s benchmarks/calculate_unique.lua "http://127.0.0.1:$port/$path" >"$workdir/wrk"
        workers=$(($(worker_ticks "$master") - workers_before))
        machine=$(($(machine_ticks) - machine_before))
        requests=$(awk '/requests in/ {print $1}' "$workdir/wrk")
        rps=$(awk '/Requests\/sec/ {print $2}' "$workdir/wrk")
        if grep -qE "Non-2xx|Socket errors" "$workdir/wrk"; then grep -E "Non-2xx|Socket errors" "$workdir/wrk"; fi
        echo "$round $name $rps $((workers * tick_us / requests)) $((machine * tick_us / requests))"
    done <"$workdir/servers" >>"$workdir/figures"
    awk -v round="$round" '
        $1 == round && $2 == "echo" { echo = $3 }
        $1 == round { printf "  %-11s %9.1f req/s  (%.2f of the echo)   workers %4d µs   machine %4d µs\n", $2, $3, $3 / echo, $4, $5 }
    ' "$workdir/figures"
done
echo "mean of ${rounds} rounds:"
awk '
    $2 == "echo" { echo[$1] = $3 }
    { rps[$2] += $3; workers[$2] += $4; machine[$2] += $5; count[$2]++; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
    END {
        for (round in echo) { echo_sum += echo[round] }
        for (i = 1; i <= n; i++) {
            name = order[i]
            printf "  %-11s %9.1f req/s  (%.2f of the echo)   workers %4d µs   machine %4d µs\n", name,
                rps[name] / count[name], rps[name] / echo_sum, workers[name] / count[name], machine[name] / count[name]
        }
    }' "$workdir/figures"
