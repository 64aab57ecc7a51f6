"""Where a gunicorn worker's time goes while it answers calculations with bodies never seen before.

Run: python benchmarks/profile_calculate.py [seconds]     (needs wrk and py-spy: pip install py-spy)
Starts `gunicorn -w 2 app:app` on a temporary SQLite database, loads it with benchmarks/calculate_unique.lua (16
connections), samples one worker with py-spy and prints, for the frames that matter, the share of the samples
in which each was on the stack (so the lines nest: the view includes the calculation).
"""

from __future__ import annotations

import collections
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8131
FRAMES = {  # function name as py-spy reports it -> what it is
    "SyncWorker.handle": "gunicorn: accept, parse, call the app, write, close",
    "close_graceful": "  gunicorn: the graceful close (half-close, then wait for the client's FIN)",
    "Flask.__call__": "the app (its WSGI layers, the direct answer, Flask)",
    "Flask.wsgi_app": "  Flask's request cycle (requests the direct answer hands on)",
    "DirectAnswers.__call__": "  the direct answer (api/direct.py)",
    "AppContext.push": "    the app context pushed",
    "AppContext.pop": "    the app context popped (its teardown)",
    "calculation_answer": "    the calculation's answer",
    "CatalogCache.current": "      the catalog-version check",
    "parse_body": "      JSON parse",
    "load_request": "      validation (the schemas' compiled loader)",
    "run_calculation": "      the engine",
    "result_document": "      the response document",
    "StrictJSONProvider.dump_bytes": "      JSON write",
}


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{folder / 'profile.sqlite3'}",
    }
    server = subprocess.Popen(
        ["gunicorn", "-w", "2", "-b", f"127.0.0.1:{PORT}", "--control-socket", str(folder / "ctl"), "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        worker = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()[0]
        url = f"http://127.0.0.1:{PORT}/api/v1/blends/calculate"
        script = str(ROOT / "benchmarks" / "calculate_unique.lua")
        load = subprocess.Popen(
            ["wrk", "-t2", "-c16", f"-d{seconds + 3}s", "-s", script, url], stdout=subprocess.PIPE, text=True
        )
        time.sleep(2)
        raw = folder / "samples.txt"
        subprocess.run(
            ["py-spy", "record", "--pid", worker, "-d", str(seconds), "-r", "250", "--format", "raw", "-o", str(raw)],
            check=True,
            capture_output=True,
        )
        print(next(line for line in load.communicate()[0].splitlines() if "Requests/sec" in line).strip())
    finally:
        server.terminate()
        server.wait()
    on_stack: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, count = line.rsplit(" ", 1)
        total += int(count)
        names = {frame.split(" (")[0] for frame in stack.split(";")}
        for name in FRAMES:
            if name in names:
                on_stack[name] += int(count)
    print(f"{total} samples of one worker")
    for name, words in FRAMES.items():
        print(f"{100 * on_stack[name] / total:5.1f} %  {words}")


if __name__ == "__main__":
    main()
