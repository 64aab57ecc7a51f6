"""Machine instructions per request, counted by valgrind: a figure that does not drift with the machine's load.

Run: python benchmarks/instructions.py [requests] [--steps]       (needs valgrind; SQLite in a temporary folder)
     PYTHONPATH=<another checkout>/src python benchmarks/instructions.py     counts that checkout's package

Throughput on a shared 2-core machine moves by 10 % and more from one minute to the next, so a change worth a few
percent cannot be seen in one run of ``api_throughput.sh``. valgrind's callgrind counts the instructions a process
executes instead, and the count is the same from run to run for the same code and input. Each figure is one run
under callgrind: a warm-up of 300 requests, then ``requests`` more (default 1000) between two calls of
``os.getppid``, at each of which callgrind writes out its counts (``--dump-before``); the instructions between the
two divided by the number of requests. Each runs in its own process, two at a time (the counts do not depend on
what else runs). The servers are called in process, as WSGI apps (``calculate_in_process.py``'s way): gunicorn,
the kernel and wrk are not counted. About 8 minutes with ``--steps`` on a 2-core machine.

Servers: the bare echo app; ``POST /api/v1/blends/calculate`` with a body never seen before and with the same body
again; and the two apps of ``ceiling_app.py`` (the engine made free, then validation too). Beside each count, the
echo's count over it: the throughput ratio an in-process server would reach if time followed instructions.
With ``--steps``, each step of a new calculation is counted on its own as well (JSON parse, validation, engine,
response document, JSON write).

Instructions are not time: a cache miss costs the same count as a hit. Under gunicorn a request's steps cost
about two to three times their in-process time (``API_RESULTS.md``, "Where the bar lies"), so this script judges
whether a change removes work, and ``api_throughput.sh`` whether the work removed shows in throughput.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = 300
SERVERS = {  # name -> what it is
    "echo": "the bare Flask echo app",
    "new": "calculation, body never seen",
    "same": "calculation, same body again",
    "engine-free": "calculation, engine made free",
    "both-free": "calculation, validation and engine free",
}


def timed_benchmark():
    """``calculate_in_process``: the same bodies, app, WSGI call and steps as the timed benchmark."""
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import calculate_in_process

    return calculate_in_process


def run(kind: str, count: int) -> None:
    """In the child, under valgrind: the warm-up, then ``count`` requests (or steps) of ``kind`` between two
    calls of ``os.getppid``, at each of which callgrind writes out what it counted since the last."""
    if kind in ("engine-free", "both-free"):
        os.environ["OIL_BLENDS_CEILING"] = "engine" if kind == "engine-free" else "all"
    measured = timed_benchmark()
    if kind in measured.STEPS:
        step = measured.step_functions(range(WARM_UP + count))[kind]
    else:
        if kind == "echo":
            app, path = measured.echo_app, "/echo"
        elif kind in ("engine-free", "both-free"):
            import ceiling_app

            app, path = ceiling_app.app, "/api/v1/blends/calculate"
        else:
            app, path = measured.served.app, "/api/v1/blends/calculate"

        def step(number: int) -> object:
            return measured.call(app, path, measured.body(1 if kind == "same" else number))

    for number in range(WARM_UP):
        step(number)
    os.getppid()  # callgrind's first dump: start-up and warm-up
    for number in range(WARM_UP, WARM_UP + count):
        step(number)
    os.getppid()  # the second: the measured calls only


def per_request(kind: str, count: int, folder: Path) -> float:
    """The instructions of one request (or step) of ``kind``: callgrind's count between the two markers."""
    out = folder / f"{kind}.callgrind"
    completed = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            "--dump-before=os_getppid",
            sys.executable,
            __file__,
            "--child",
            kind,
            str(count),
        ],
        env={
            **os.environ,
            "PYTHONHASHSEED": "0",  # the same string hashes, hence the same dict and set layouts, in every run
            "OIL_BLENDS_INSTANCE_PATH": str(folder / f"instance-{kind}"),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    measured = Path(f"{out}.2")  # .1 is everything before the first marker
    if completed.returncode != 0 or not measured.exists():
        raise SystemExit(f"{kind}: the run under valgrind failed:\n{completed.stderr[-3000:]}")
    totals = next(line for line in measured.read_text().splitlines() if line.startswith("totals:"))
    return int(totals.split()[1]) / count


def main() -> None:
    arguments = [each for each in sys.argv[1:] if not each.startswith("--")]
    count = int(arguments[0]) if arguments else 1000
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (apt-get install valgrind)")
    folder = Path(tempfile.mkdtemp())
    os.environ.setdefault("SECRET_KEY", "instructions-benchmark-" + "k" * 32)
    print(f"instructions per request, in process, {count} requests after a warm-up of {WARM_UP} (valgrind callgrind)")
    steps = timed_benchmark().STEPS if "--steps" in sys.argv else {}
    kinds = [*SERVERS, *steps]
    try:
        # callgrind's counts do not depend on what else runs: the runs share the machine's cores
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = dict(zip(kinds, pool.map(lambda kind: per_request(kind, count, folder), kinds), strict=True))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for kind, words in SERVERS.items():
        ratio = f"   echo / this {counts['echo'] / counts[kind]:.2f}" if kind != "echo" else ""
        print(f"  {words:42s} {counts[kind] / 1000:8.1f} k{ratio}")
    print(
        f"  over the echo: validation {(counts['engine-free'] - counts['both-free']) / 1000:.1f} k, "
        f"engine and response {(counts['new'] - counts['engine-free']) / 1000:.1f} k, "
        f"the rest of the app's request {(counts['both-free'] - counts['echo']) / 1000:.1f} k"
    )
    if "--steps" in sys.argv:
        print("each step of a new calculation on its own")
        for kind, words in steps.items():
            print(f"  {words:42s} {counts[kind] / 1000:8.1f} k")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        run(sys.argv[2], int(sys.argv[3]))
    else:
        main()
