"""Answers at an earlier revision and now, on the same generated documents: for a change meant to make a
calculation faster without changing a single answer.

Run: python benchmarks/compare_answers.py REVISION [documents] [seed]      (default 30,000 documents, seed 1)

Generates calculation and check documents (shipped carriers and oils, one to six oils in parts or drops, amounts in
every unit, each dilution form, people of every age with pregnancy, skin, conditions, allergies and sun, both
teaspoons and odd droppers, capping and refusing), answers each with ``calculate_document`` or ``check_document``
once with REVISION's package (a git worktree on PYTHONPATH) and once with this checkout's, and compares the
answers, refusals included, byte for byte. Prints how many documents of each kind and outcome were compared, then
"identical", or the first document whose answers differ and exits 1.
"""

from __future__ import annotations

import collections
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNITS = ["mL", "ml", "L", "tsp", "tbsp", "fl oz", "cup", "drops", "oz", "teaspoons", "dram"]


def documents(count: int, seed: int):
    """``count`` (kind, document) pairs, the same for the same seed and catalog."""
    from oil_blends.documents.catalog import shipped_oils
    from oil_blends.engine.model import ALLERGIES, CONDITIONS, SKIN_TYPES, USES

    catalog = shipped_oils()
    carriers = sorted(slug for slug, oil in catalog.items() if oil.kind == "carrier")
    essentials = sorted(slug for slug, oil in catalog.items() if oil.kind == "essential")
    pick = random.Random(seed)

    def amount() -> str:
        value = pick.choice([pick.uniform(0.01, 50), pick.randint(1, 600), pick.uniform(0.5, 5)])
        return f"{value:.{pick.randint(0, 6)}f} {pick.choice(UNITS)}"

    def dilution():
        draw = pick.random()
        if draw < 0.2:
            return None
        if draw < 0.5:
            return f"{pick.choice([0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 8, 10, 15, 25, pick.uniform(0, 30)]):g}%"
        if draw < 0.7:
            return pick.choice([1, 2, 3, 0.5, pick.uniform(0, 12)])
        volume = pick.choice(["tsp", "tbsp", "fl oz", "10 mL", "30 mL", "teaspoon"])
        return f"{pick.randint(1, 12)} drops per {volume}"

    def person() -> dict:
        profile: dict = {}
        if pick.random() < 0.7:
            ages = [None, 0.1, 0.3, 1, 2, 2.4, 3, 4, 6, 9, 12, 15, 18, 30, 40, 64, 65, 70, 90, pick.uniform(0, 100)]
            profile["age_years"] = pick.choice(ages)
        if pick.random() < 0.2:
            profile["pregnant"] = pick.random() < 0.5
        if pick.random() < 0.3:
            profile["skin"] = pick.choice(SKIN_TYPES)
        if pick.random() < 0.3:
            profile["conditions"] = pick.sample(CONDITIONS, pick.randint(0, 3))
        if pick.random() < 0.3:
            profile["allergies"] = pick.sample(ALLERGIES, pick.randint(0, 3))
        if pick.random() < 0.4:
            profile["sun_exposure"] = pick.choice([True, False, None])
        return profile

    def common(document: dict) -> dict:
        if pick.random() < 0.3:
            document["use"] = pick.choice(USES)
        if pick.random() < 0.8:
            document["profile"] = person()
        if pick.random() < 0.3:
            conventions: dict = {}
            if pick.random() < 0.6:
                conventions["drops_per_ml"] = pick.choice([None, 15, 20, 25, 33, pick.uniform(5, 100)])
            if pick.random() < 0.6:
                conventions["teaspoon"] = pick.choice(["metric", "us"])
            document["conventions"] = conventions
        return document

    for _ in range(count):
        if pick.random() < 0.2:
            oils = [{"oil": slug, "drops": pick.randint(1, 60)} for slug in pick.sample(essentials, pick.randint(1, 4))]
            yield "check", common({"carrier": pick.choice(carriers), "amount": amount(), "oils": oils})
            continue
        count_of_oils = pick.choice([1, 2, 2, 3, 3, 4, 6])
        oils = [
            {"oil": slug, "parts": pick.choice([1, 2, 3, 0.5, pick.uniform(0.1, 10)])}
            for slug in pick.sample(essentials, count_of_oils)
        ]
        carrier = pick.choice(carriers) if pick.random() < 0.97 else pick.choice(essentials)
        document = {"carrier": carrier, "amount": amount(), "oils": oils}
        if pick.random() < 0.3:
            document["amount_of"] = pick.choice(["blend", "carrier"])
        chosen = dilution()
        if chosen is not None or pick.random() < 0.3:
            document["dilution"] = chosen
        if pick.random() < 0.6:
            document["on_limit"] = pick.choice(["reject", "cap", "cap"])
        yield "calculate", common(document)


def answer_all(count: int, seed: int, out: Path) -> None:
    """Write one JSON line per generated document: its kind, the document and the answer (status, document)."""
    from oil_blends.documents.calculator import calculate_document, check_document
    from oil_blends.documents.catalog import default_rules, shipped_oils
    from oil_blends.documents.problems import Problem

    catalog, rules = shipped_oils(), default_rules()
    answer_for = {"calculate": calculate_document, "check": check_document}
    with out.open("w") as lines:
        for kind, document in documents(count, seed):
            try:
                answer = [200, answer_for[kind](document, catalog, rules)]
            except Problem as problem:
                answer = [problem.status, problem.to_dict()]
            lines.write(json.dumps([kind, document, answer], sort_keys=True) + "\n")


def run(src: Path, count: int, seed: int, out: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--answer", str(count), str(seed), str(out)]
    subprocess.run(command, check=True, env=environment)


def main() -> int:
    if sys.argv[1:2] == ["--answer"]:
        answer_all(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        return 0
    revision = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 30_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with tempfile.TemporaryDirectory() as work:
        before_tree = Path(work) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(before_tree), revision], check=True
        )
        try:
            run(before_tree / "src", count, seed, Path(work) / "before.jsonl")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)], check=True)
        run(ROOT / "src", count, seed, Path(work) / "now.jsonl")
        outcomes: collections.Counter[str] = collections.Counter()
        with (Path(work) / "before.jsonl").open() as before, (Path(work) / "now.jsonl").open() as now:
            for old, new in zip(before, now, strict=True):
                kind, document, answer = json.loads(new)
                if old != new:
                    print(f"answers differ for {kind} {json.dumps(document)}:")
                    print(f"  {revision}: {json.loads(old)[2]}\n  now: {answer}")
                    return 1
                outcomes[f"{kind} {answer[0]}"] += 1
    print(f"{count} documents (seed {seed}), {revision} against this checkout:")
    for outcome, number in sorted(outcomes.items()):
        print(f"  {outcome}: {number}")
    print("identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
