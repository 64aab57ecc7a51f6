"""The oil-blends command: flags and --request give the API's documents; exit 0 or 2."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers_blend import request
from oil_blends.cli import run


def cli(*args):
    return run(list(args))


def test_calc_with_flags_prints_a_table():
    status, out, err = cli(
        "calc",
        "--carrier",
        "sweet-almond",
        "--amount",
        "30 mL",
        "--dilution",
        "1 drop per teaspoon",
        "--oil",
        "lavender:2",
        "--oil",
        "peppermint:1",
        "--condition",
        "neuropathy",
    )
    assert status == 0 and err == ""
    assert "Lavender" in out and "Peppermint" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  ") and line.split()}
    assert lines["Lavender"][2] == "4" and lines["Peppermint"][2] == "2"
    assert "reduced_sensation" in out


def test_calc_json_matches_the_api_document():
    status, out, _ = cli(
        "calc", "--carrier", "jojoba", "--amount", "4 fl oz", "--dilution", "2%", "--oil", "lavender", "--json"
    )
    assert status == 0
    document = json.loads(out)
    assert document["total_drops"] == 47
    assert set(document) >= {
        "essential_oils",
        "total_drops",
        "carrier",
        "dilution",
        "conventions",
        "capped",
        "warnings",
    }


def test_flags_mirror_the_request_fields():
    status, out, _ = cli(
        "calc",
        "--carrier",
        "jojoba",
        "--amount",
        "30 mL",
        "--oil",
        "lavender",
        "--use",
        "face",
        "--age",
        "70",
        "--pregnant",
        "--skin",
        "sensitive",
        "--allergy",
        "peanut",
        "--no-sun",
        "--drops-per-ml",
        "30",
        "--teaspoon",
        "us",
        "--on-limit",
        "cap",
        "--amount-of",
        "carrier",
        "--json",
    )
    assert status == 0
    document = json.loads(out)
    assert document["conventions"]["drops_per_ml"] == 30
    assert document["essential_oils"][0]["drops_per_ml"] == 30
    assert document["conventions"]["teaspoon"] == "us"
    assert document["amount"]["of"] == "carrier"
    assert document["dilution"]["max_percent"] == 1.0
    assert set(document["dilution"]["limited_by"]) == {"use_face", "pregnancy", "age_65_plus", "sensitive_skin"}


def test_refused_blend_exits_2_with_a_plain_message():
    status, out, err = cli(
        "calc", "--carrier", "jojoba", "--amount", "30 mL", "--dilution", "3%", "--oil", "lavender", "--age", "70"
    )
    assert status == 2 and out == ""
    assert "unsafe blend" in err and "1 % maximum" in err


def test_refused_blend_json_is_the_problem_document():
    status, out, err = cli(
        "calc", "--carrier", "jojoba", "--amount", "30 mL", "--dilution", "3%", "--oil", "lavender", "--json"
    )
    assert status == 2 and err == ""
    problem = json.loads(out)
    assert problem["status"] == 422 and problem["title"] == "Unsafe blend"
    assert problem["warnings"][0]["code"] == "use_maximum"


def test_invalid_flag_values_get_the_same_field_errors_as_the_api():
    status, out, _ = cli("calc", "--carrier", "jojoba", "--amount", "30 kg", "--oil", "lavender:two", "--json")
    assert status == 2
    problem = json.loads(out)
    assert "amount" in problem["errors"]
    assert problem["errors"]["oils"]["0"]["parts"] == ["must be a number, e.g. 2"]


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


def test_a_request_file_giving_a_key_twice_is_refused_as_the_api_refuses_it(tmp_path):
    path = tmp_path / "twice.json"
    path.write_text(
        '{"carrier": "sweet-almond", "amount": "30 mL", "oils": [{"oil": "peppermint"}], '
        '"profile": {"age_years": 2, "age_years": 70}}'
    )
    status, out, _ = cli("calc", "--request", str(path), "--json")
    assert status == 2
    assert json.loads(out)["detail"] == (
        "the request is not valid JSON: the key 'age_years' is given twice in one object; give each key once"
    )


@pytest.mark.parametrize(
    ("stdin", "status", "check"),
    [
        (json.dumps(request(dilution="2%")), 0, lambda d: d["total_drops"] == 12),
        ("", 2, lambda d: d["status"] == 400),
        ("[1, 2]", 2, lambda d: d["status"] == 422),
        (json.dumps(request(amount="30 kg")), 2, lambda d: "amount" in d["errors"]),
        (
            '{"carrier": "jojoba", "amount": "30 mL", "oils": [{"oil": "lavender", "parts": NaN}]}',
            2,
            lambda d: d["status"] == 400 and "NaN" in d["detail"],
        ),
        (
            '{"carrier": "jojoba", "amount": "30 mL", "dilution": 1' + "0" * 400 + ', "oils": [{"oil": "lavender"}]}',
            2,
            lambda d: d["status"] == 422 and "dilution" in d["errors"],
        ),
    ],
)
def test_request_from_standard_input_in_a_real_process(stdin, status, check):
    done = subprocess.run(
        [sys.executable, "-m", "oil_blends.cli", "calc", "--request", "-", "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )
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


# --- recipes scaled for a person keep the recipe's profile; --use -----------------------------------------


def test_readme_recipe_example_keeps_the_neuropathy_warnings():
    status, out, err = cli("recipes", "neuropathy-foot-oil", "--amount", "4 fl oz", "--age", "72")
    assert status == 0, err
    assert "reduced_sensation" in out
    status, out, _ = cli("recipes", "neuropathy-foot-oil", "--amount", "4 fl oz", "--age", "72", "--json")
    result = json.loads(out)
    assert {"reduced_sensation", "age_65_plus"} <= set(result["dilution"]["limited_by"])
    assert "reduced_sensation" in {w["code"] for w in result["warnings"]}


def test_recipe_for_age_70_keeps_its_limit_for_age_40():
    status, out, _ = cli("recipes", "gentle-senior-hand-oil", "--age", "40", "--json")
    assert status == 0 and json.loads(out)["dilution"]["max_percent"] == 1.0


def test_recipe_use_flag_applies_the_uses_limit():
    status, out, err = cli("recipes", "calming-massage-oil", "--use", "face")
    assert status == 2 and "unsafe blend" in err and "1 % maximum" in err
    status, out, _ = cli("recipes", "calming-massage-oil", "--use", "face", "--json")
    assert status == 2 and json.loads(out)["warnings"][0]["code"] == "use_maximum"
    status, out, _ = cli("recipes", "calming-massage-oil", "--use", "face", "--on-limit", "cap", "--json")
    result = json.loads(out)
    assert status == 0 and result["capped"] is True and result["dilution"]["limited_by"] == ["use_face"]


# --- --request is not mixed with the flags ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--carrier", "jojoba"], "--carrier"),
        (["--amount", "1 fl oz"], "--amount"),
        (["--dilution", "1%"], "--dilution"),
        (["--oil", "lavender"], "--oil"),
        (["--use", "face"], "--use"),
        (["--age", "70"], "--age"),
        (["--pregnant"], "--pregnant"),
        (["--skin", "sensitive"], "--skin"),
        (["--condition", "neuropathy"], "--condition"),
        (["--allergy", "peanut"], "--allergy"),
        (["--no-sun"], "--no-sun"),
        (["--sun"], "--sun"),
        (["--drops-per-ml", "30"], "--drops-per-ml"),
        (["--teaspoon", "us"], "--teaspoon"),
        (["--on-limit", "cap"], "--on-limit"),
        (["--amount-of", "carrier"], "--amount-of"),
    ],
)
def test_request_with_a_blend_flag_is_an_error(tmp_path, flags, named):
    path = tmp_path / "blend.json"
    path.write_text(json.dumps(request(dilution="2%")))
    status, out, err = cli("calc", "--request", str(path), *flags)
    assert status == 2 and out == ""
    assert "--request" in err and named in err
    status, out, _ = cli("calc", *flags, "--request", str(path), "--json")
    assert status == 2 and json.loads(out)["status"] == 400


def test_request_conflict_names_every_flag(tmp_path):
    path = tmp_path / "blend.json"
    path.write_text(json.dumps(request()))
    status, _, err = cli("calc", "--request", str(path), "--carrier", "jojoba", "--age", "70")
    assert status == 2 and "--carrier" in err and "--age" in err


# --- files with a byte-order mark are read as the API reads them ---------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_request_file_with_a_byte_order_mark_or_in_utf16(tmp_path, encoding):
    path = tmp_path / "blend.json"
    path.write_bytes(json.dumps(request(dilution="2%")).encode(encoding))
    status, out, err = cli("calc", "--request", str(path), "--json")
    assert status == 0, out + err
    assert json.loads(out)["total_drops"] == 12


def test_standard_input_with_a_byte_order_mark_in_a_real_process():
    data = b"\xef\xbb\xbf" + json.dumps(request(dilution="2%")).encode()
    done = subprocess.run(
        [sys.executable, "-m", "oil_blends.cli", "calc", "--request", "-", "--json"],
        input=data,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_drops"] == 12


# --- error messages in a person's words; --json keeps the problem document -----------------------------


def test_field_errors_from_a_request_file_are_in_words(tmp_path):
    path = tmp_path / "blend.json"
    path.write_text(
        json.dumps(
            {
                "carrier": "jojoba",
                "amount": "30 mL",
                "oils": [{"oil": "lavender"}, {"oil": "lavendr", "parts": "x"}],
                "profile": {"age_years": -1},
                "conventions": {"drops_per_ml": 2},
            }
        )
    )
    status, out, err = cli("calc", "--request", str(path))
    assert status == 2 and out == ""
    assert "oil number 2, parts: " in err
    assert "age: " in err and "drop size: " in err
    for path_text in ("oils.1", "profile.age_years", "conventions.drops_per_ml"):
        assert path_text not in err
    status, out, _ = cli("calc", "--request", str(path), "--json")
    problem = json.loads(out)
    assert set(problem["errors"]) == {"oils", "profile", "conventions"}
    assert "parts" in problem["errors"]["oils"]["1"]
    assert "age_years" in problem["errors"]["profile"]
    assert "oils.1.parts" in problem["detail"]


def test_unknown_oil_is_named_by_its_number():
    status, _, err = cli("calc", "--carrier", "jojoba", "--amount", "30 mL", "--oil", "lavender", "--oil", "lavendr")
    assert status == 2
    assert "oil number 2: unknown essential oil 'lavendr'" in err and "lavender" in err


def test_field_errors_from_flags_name_the_flags():
    status, _, err = cli("calc", "--amount", "30 mL", "--oil", "lavender", "--age", "-1", "--drops-per-ml", "2")
    assert status == 2
    assert "--carrier: " in err and "--age: " in err and "--drops-per-ml: " in err
    assert "profile.age_years" not in err and "conventions" not in err


# --- the table says which rules set the maximum, and the drop size and teaspoon used ----------------------


def test_table_names_the_limiting_rules_in_words_and_the_measures():
    from oil_blends.documents.catalog import rules_document

    labels = {rule["id"]: rule["label"] for rule in rules_document()["rules"]}
    status, out, _ = cli(
        "calc",
        "--carrier",
        "jojoba",
        "--amount",
        "30 mL",
        "--oil",
        "lavender",
        "--age",
        "70",
        "--condition",
        "neuropathy",
    )
    assert status == 0
    assert labels["age_65_plus"] in out and labels["reduced_sensation"] in out
    assert "20 drops per mL" in out and "metric teaspoon of 5 mL" in out
    status, out, _ = cli(
        "calc",
        "--carrier",
        "jojoba",
        "--amount",
        "30 mL",
        "--oil",
        "lavender",
        "--use",
        "face",
        "--drops-per-ml",
        "30",
        "--teaspoon",
        "us",
    )
    assert status == 0
    assert labels["use_face"] in out
    assert "30 drops per mL" in out and "US teaspoon of 4.93 mL" in out


# --- recipes: the valid ones listed, the invalid ones explained -----------------------------------------------


@pytest.fixture
def mixed_recipes(tmp_path, monkeypatch):
    from oil_blends.documents.recipes import load_recipes

    good = load_recipes()["face-oil"]
    (tmp_path / "face-oil.toml").write_text(Path(good.path).read_text(encoding="utf-8"))
    (tmp_path / "bad-oil.toml").write_text(
        'name = "x"\ncarrier = "jojoba"\namount = "30 mL"\n[[oils]]\noil = "lavendr"\nparts = 1\n'
    )
    (tmp_path / "broken.toml").write_text('name = "x\n')
    monkeypatch.setenv("OIL_BLENDS_RECIPES_DIR", str(tmp_path))
    return tmp_path


def test_recipes_lists_the_valid_ones_and_reports_the_invalid_ones(mixed_recipes):
    status, out, err = cli("recipes")
    assert status == 0
    assert "face-oil" in out and "bad-oil" not in out and "broken" not in out
    lines = err.splitlines()
    assert len(lines) == 2
    assert "bad-oil.toml" in lines[0] and "lavendr" in lines[0]
    assert "broken.toml" in lines[1]
    status, out, err = cli("recipes", "--json")
    assert status == 0 and [r["slug"] for r in json.loads(out)] == ["face-oil"]
    assert len(err.splitlines()) == 2


@pytest.mark.parametrize(
    ("slug", "reason"), [("bad-oil", "unknown essential oil 'lavendr'"), ("broken", "cannot read")]
)
def test_an_invalid_recipe_is_explained(mixed_recipes, slug, reason):
    status, out, err = cli("recipes", slug)
    assert status == 2 and out == ""
    assert f"{slug}.toml" in err and reason in err
    status, out, _ = cli("recipes", slug, "--json")
    problem = json.loads(out)
    assert status == 2 and problem["status"] == 422 and reason in problem["detail"]


def test_recipes_help_says_what_the_exit_status_is():
    done = subprocess.run(
        [sys.executable, "-m", "oil_blends.cli", "recipes", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert "standard error" in done.stdout and "exit status" in done.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("recipes", "neuropathy-foot-oil", "--age", "2", "--age", "70", "--on-limit", "cap"), "--age was given twice"),
        (
            ("calc", "--carrier", "jojoba", "--amount", "30 mL", "--oil", "basil", "--use", "face", "--use", "massage"),
            "--use was given twice",
        ),
        (
            ("calc", "--carrier", "jojoba", "--amount", "30 mL", "--oil", "lavender", "--js"),
            "unrecognized arguments: --js",
        ),
    ],
)
def test_a_flag_given_twice_or_cut_short_is_refused_not_read_one_way(args, said):
    status, out, err = cli(*args)
    assert status == 2 and out == ""
    assert said in err
