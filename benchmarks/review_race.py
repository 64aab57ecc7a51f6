"""Two admins reviewing one change at the same moment, under gunicorn: one review wins, nothing else is written.

Usage: python benchmarks/review_race.py [rounds=20]     (SQLite in a temporary folder; DATABASE_URL for PostgreSQL)

Starts gunicorn as the README deploys it but with 4 workers (so that both reviews run at once), makes an editor and
two admins with their tokens (the ``flask users`` and ``flask tokens`` commands), and plays ``rounds`` rounds: the
editor proposes a new maximum for lavender (a safety figure: held for review), both admins read the change's ETag,
and one sends the approval while the other sends the rejection, released together by a barrier. Half the rounds
the approval leaves first, half the rejection.

Each round must end with exactly one 200, the other review refused (409: reviewed meanwhile; 412: its ETag was
already stale when it was sent), the change's status the winner's, lavender's maximum the proposed one exactly when
the approval won, and one review in the oil's revisions for the change. Prints the answers by kind and exits 1 on
any round that breaks this, or on a traceback in gunicorn's log.
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter

from served import Server, served

PASSWORD = "review-race-password"
OIL = "lavender"


def call(server: Server, method: str, path: str, token: str, body: dict | None = None, **headers: str):
    """(status, JSON document, ETag) of one request."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers.get("ETag")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), None


def play(server: Server, tokens: dict[str, str], round_number: int) -> tuple[str, list[str]]:
    """One round: (what happened, the broken rules)."""
    _, entry, etag = call(server, "GET", f"/api/v1/oils/{OIL}", tokens["edna"])
    proposed = round(0.5 + round_number / 100, 3)
    status, change, _ = call(
        server, "PATCH", f"/api/v1/oils/{OIL}", tokens["edna"],
        {"max_dermal_percent": proposed, "source": "TY"}, If_Match=etag,
    )  # fmt: skip
    if status != 202:
        return f"proposal {status}", [f"the proposal was answered {status}"]
    url = f"/api/v1/oils/{OIL}/pending/{change['id']}"
    change_etag = call(server, "GET", url, tokens["ada"])[2]
    reviews = [("approve", "ada"), ("reject", "bea")]
    if round_number % 2:
        reviews.reverse()
    barrier, answers = threading.Barrier(2), {}

    def review(action: str, admin: str) -> None:
        barrier.wait()
        answers[action] = call(server, "POST", f"{url}/{action}", tokens[admin], {}, If_Match=change_etag)[0]

    threads = [threading.Thread(target=review, args=pair) for pair in reviews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    broken = []
    winners = [action for action, status in answers.items() if status == 200]
    losers = sorted(status for status in answers.values() if status != 200)
    if len(winners) != 1 or any(status not in (409, 412) for status in losers):
        broken.append(f"answers {answers}")
    final = call(server, "GET", url, tokens["ada"])[1]
    maximum = call(server, "GET", f"/api/v1/oils/{OIL}", tokens["ada"])[1]["max_dermal_percent"]
    won = winners[0] if len(winners) == 1 else None
    if won is not None and final["status"] != {"approve": "approved", "reject": "rejected"}[won]:
        broken.append(f"{won} won but the change is {final['status']}")
    if (maximum == proposed) != (final["status"] == "approved"):
        broken.append(f"the change is {final['status']} and lavender's maximum is {maximum} (proposed {proposed})")
    trail = call(server, "GET", f"/api/v1/oils/{OIL}/revisions", tokens["ada"])[1]
    reviewed = [r["action"] for r in trail if r["pending_id"] == change["id"] and r["action"] in ("approve", "reject")]
    if len(reviewed) != 1:
        broken.append(f"the revisions hold {reviewed} for the change")
    kind = f"{won or 'none'} won, the other {'/'.join(map(str, losers)) or '-'}"
    return kind, broken


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with served(4, prefix="review-race-") as server:
        tokens = {}
        for name, role in (("edna", "editor"), ("ada", "admin"), ("bea", "admin")):
            server.flask("users", "create", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
            tokens[name] = server.flask("tokens", "create", name, "--days", "1", "--label", "race")
        database = server.env["DATABASE_URL"].split(":", 1)[0]
        print(f"== review_race: {rounds} rounds, gunicorn -w 4, database {database}")
        kinds: Counter[str] = Counter()
        failures = []
        for number in range(rounds):
            kind, broken = play(server, tokens, number)
            kinds[kind] += 1
            failures += [f"round {number + 1}: {problem}" for problem in broken]
        tracebacks = server.log().count("Traceback")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:3d} rounds: {kind}")
    for failure in failures:
        print(f"  BROKEN {failure}")
    print(f"tracebacks in gunicorn's log: {tracebacks}")
    if failures or tracebacks:
        return 1
    print("OK: every round one review won, the other was refused, and the catalog and the trail agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
