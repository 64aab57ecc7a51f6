"""The oil-blends command: flags and --request give the API's documents; exit 0 or 2."""

import json
import shutil
import subprocess
import sys

import pytest

from helpers_blend import request
from oil_blends.cli import run


def cli(*args):
    return run(list(args))


def test_calc_with_flags_prints_a_table():
    status, out, err = cli("calc", "--carrier", "sweet-almond", "--amount", "30 mL",
                           "--dilution", "1 drop per teaspoon", "--oil", "lavender:2", "--oil", "peppermint:1",
                           "--condition", "neuropathy")
    assert status == 0 and err == ""
    assert "Lavender" in out and "Peppermint" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert lines["Lavender"][2] == "4" and lines["Peppermint"][2] == "2"
    assert "reduced_sensation" in out


def test_calc_json_matches_the_api_document():
    status, out, _ = cli("calc", "--carrier", "jojoba", "--amount", "4 fl oz", "--dilution", "2%", "--oil", "lavender",
                         "--json")
    assert status == 0
    document = json.loads(out)
    assert document["total_drops"] == 47
    assert set(document) >= {"essential_oils", "total_drops", "carrier", "dilution", "conventions", "capped",
                             "warnings"}


def test_flags_mirror_the_request_fields():
    status, out, _ = cli("calc", "--carrier", "jojoba", "--amount", "30 mL", "--oil", "lavender", "--use", "face",
                         "--age", "70", "--pregnant", "--skin", "sensitive", "--allergy", "peanut", "--no-sun",
                         "--drops-per-ml", "30", "--teaspoon", "us", "--on-limit", "cap", "--amount-of", "carrier",
                         "--json")
    assert status == 0
    document = json.loads(out)
    assert document["conventions"]["drops_per_ml"] == 30
    assert document["essential_oils"][0]["drops_per_ml"] == 30
    assert document["conventions"]["teaspoon"] == "us"
    assert document["amount"]["of"] == "carrier"
    assert document["dilution"]["max_percent"] == 1.0
    assert set(document["dilution"]["limited_by"]) == {"use_face", "pregnancy", "age_65_plus", "sensitive_skin"}


def test_refused_blend_exits_2_with_a_plain_message():
    status, out, err = cli("calc", "--carrier", "jojoba", "--amount", "30 mL", "--dilution", "3%", "--oil", "lavender",
                           "--age", "70")
    assert status == 2 and out == ""
    assert "unsafe blend" in err and "1 % maximum" in err


def test_refused_blend_json_is_the_problem_document():
    status, out, err = cli("calc", "--carrier", "jojoba", "--amount", "30 mL", "--dilution", "3%", "--oil", "lavender",
                           "--json")
    assert status == 2 and err == ""
    problem = json.loads(out)
    assert problem["status"] == 422 and problem["title"] == "Unsafe blend"
    assert problem["warnings"][0]["code"] == "use_maximum"


def test_invalid_flag_values_get_the_same_field_errors_as_the_api():
    status, out, _ = cli("calc", "--carrier", "jojoba", "--amount", "30 kg", "--oil", "lavender:two", "--json")
    assert status == 2
    problem = json.loads(out)
    assert "amount" in problem["errors"]
    assert problem["errors"]["oils"]["0"]["parts"] == ["Not a valid number."]


def test_unknown_option_exits_2():
    status, out, err = cli("calc", "--colour", "red")
    assert status == 2 and "unrecognized arguments" in err
    status, out, _ = cli("calc", "--colour", "red", "--json")
    assert status == 2 and json.loads(out)["status"] == 400


def test_request_file(tmp_path):
    path = tmp_path / "blend.json"
    path.write_text(json.dumps(request(dilution="2%")))
    status, out, _ = cli("calc", "--request", str(path), "--json")
    assert status == 0 and json.loads(out)["total_drops"] == 12


def test_request_file_missing_or_not_json(tmp_path):
    status, out, err = cli("calc", "--request", str(tmp_path / "none.json"))
    assert status == 2 and "cannot read" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    status, out, _ = cli("calc", "--request", str(bad), "--json")
    assert status == 2 and json.loads(out)["status"] == 400


@pytest.mark.parametrize(
    ("stdin", "status", "check"),
    [
        (json.dumps(request(dilution="2%")), 0, lambda d: d["total_drops"] == 12),
        ("", 2, lambda d: d["status"] == 400),
        ("[1, 2]", 2, lambda d: d["status"] == 422),
        (json.dumps(request(amount="30 kg")), 2, lambda d: "amount" in d["errors"]),
        ('{"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "parts": NaN}]}', 2,
         lambda d: d["status"] == 400 and "NaN" in d["detail"]),
        ('{"carrier": "jojoba", "amount": "30 mL", "dilution": 1' + "0" * 400 + ', "oils": [{"oil": "lavender"}]}',
         2, lambda d: d["status"] == 422 and "dilution" in d["errors"]),
    ],
)
def test_request_from_standard_input_in_a_real_process(stdin, status, check):
    done = subprocess.run([sys.executable, "-m", "oil_blends.cli", "calc", "--request", "-", "--json"],
                          input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == status, done.stderr
    assert check(json.loads(done.stdout))


def test_console_script_is_installed():
    script = shutil.which("oil-blends")
    assert script is not None
    done = subprocess.run([script, "recipes"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "neuropathy-foot-oil" in done.stdout


def test_recipes_list_and_scale():
    status, out, _ = cli("recipes", "--json")
    assert status == 0
    listing = json.loads(out)
    assert {"slug", "name", "amount", "dilution", "use", "tags"} <= set(listing[0])
    status, out, _ = cli("recipes", "calming-massage-oil", "--amount", "4 fl oz", "--json")
    assert status == 0 and json.loads(out)["total_drops"] == 47
    status, out, err = cli("recipes", "calming-massage-oil")
    assert status == 0 and "Calming" in out


def test_recipe_scaled_for_another_person_is_refused_or_capped():
    status, _, err = cli("recipes", "calming-massage-oil", "--age", "70")
    assert status == 2 and "1 % maximum" in err
    status, out, _ = cli("recipes", "calming-massage-oil", "--age", "70", "--on-limit", "cap", "--json")
    assert status == 0 and json.loads(out)["capped"] is True


def test_unknown_recipe():
    status, out, err = cli("recipes", "nope")
    assert status == 2 and "unknown recipe" in err
