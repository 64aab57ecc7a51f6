"""oil-blends check: the table, the verdict in words, the remedy, and the exit status (0 safe, 2 not, 1 bad input)."""

from __future__ import annotations

import json

from oil_blends.cli import run


def check(*args):
    return run(["check", "--carrier", "jojoba", *args])


def test_a_safe_blend_exits_0_with_its_table():
    status, out, err = check("--amount", "30 mL", "--oil", "lavender:12")
    assert status == 0 and err == ""
    # 12 drops = 0.60 mL in 30.60 mL: 1.96 %; 12 drops in 6 teaspoons of carrier: 2.0 a teaspoon
    assert "30 mL of Jojoba + 12 drops of essential oil = 30.60 mL blend at 1.96 % = 2.0 drops per teaspoon" in out
    assert "Maximum 2 %, set by: Body, hand and foot massage" in out
    lavender = next(line.split() for line in out.splitlines() if line.strip().startswith("Lavender"))
    assert lavender == ["Lavender", "12", "0.60", "1.96"]
    assert "Within every limit" in out
    assert "What to do" not in out


def test_a_blend_too_strong_exits_2_with_the_remedy_in_words():
    status, out, _ = check("--amount", "58.5 mL", "--oil", "lavender:30")
    assert status == 2
    # 30 drops = 1.5 mL in 60 mL of blend: 2.5 %; at 2 % it needs 75 mL, so 15 mL (a tablespoon) more
    assert "at 2.50 %" in out
    assert "Add at least 15 mL (1 tbsp) of Jojoba to this blend: it becomes 2 %." in out
    # again in 58.5 mL: 58.5 * 2 / 98 = 1.194 mL = 23.9 drops -> 24 drops (1.2 / 59.7 = 2.01 %, over) -> 23
    assert "use 23 drops of Lavender (7 fewer)" in out


def test_an_oil_not_for_the_person_exits_2_without_a_remedy():
    status, out, _ = check("--amount", "30 mL", "--oil", "peppermint:2", "--age", "2")
    assert status == 2
    assert "Not safe for this person at any dilution" in out
    assert "[danger] child: Peppermint must not be used on a child under 30 months" in out
    assert "What to do" not in out


def test_the_json_is_the_apis_document():
    status, out, _ = check("--amount", "10 mL", "--oil", "lavender:30", "--json")
    assert status == 2
    document = json.loads(out)
    assert document["verdict"] == "too_strong"
    assert document["remedy"]["carrier_to_add"] == {"ml": 63.5, "amount": 63.5, "unit": "mL"}


def test_person_and_sun_flags():
    status, _, _ = check("--amount", "30 mL", "--oil", "bergamot:6")
    assert status == 2  # 0.99 %, over bergamot's 0.4 % for skin that may see sun
    status, out, _ = check("--amount", "30 mL", "--oil", "bergamot:6", "--no-sun")
    assert status == 0 and "[caution] phototoxic" in out


def test_bad_input_exits_1():
    status, out, err = check("--amount", "30 mL", "--oil", "lavendr:3")
    assert status == 1 and out == ""
    assert "oil number 1: unknown essential oil 'lavendr'. Did you mean lavender" in err
    status, _, err = check("--amount", "30 mL", "--oil", "lavender")
    assert status == 1 and "SLUG:DROPS" in err
    status, _, err = check("--oil", "lavender:0")
    assert status == 1 and "--amount: this field is required" in err and "oil number 1, drops" in err
    status, _, err = check("--amount", "30 mL", "--oil", "lavender:3", "--on-limit", "cap")
    assert status == 1 and "unrecognized arguments" in err


def test_bad_input_under_json_is_the_problem_document_and_exits_1():
    status, out, _ = check("--amount", "0.01 mL", "--oil", "lavender:3", "--json")
    assert status == 1
    assert json.loads(out)["errors"] == {
        "amount": ["less than one drop of carrier (0.05 mL); give the carrier you used, e.g. '30 mL'"]
    }


def test_calc_keeps_exit_2_for_bad_input():
    status, _, _ = run(["calc", "--carrier", "jojoba", "--amount", "30 mL", "--oil", "lavendr"])
    assert status == 2
