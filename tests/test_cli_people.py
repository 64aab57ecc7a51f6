"""``oil-blends oils`` and ``oil-blends sources``: the catalog and its sources, for people."""

from __future__ import annotations

import json

import pytest

from oil_blends import cli as cli_module
from oil_blends.cli import render_oil, run
from oil_blends.documents.catalog import catalog_document, source_citation, source_registry
from oil_blends.documents.wording import ALLERGEN_WORDS, CONTRAINDICATION_WORDS

ENTRIES = {entry["slug"]: entry for entry in catalog_document()["oils"]}
NAME_ORDER = [slug for slug, entry in sorted(ENTRIES.items(), key=lambda item: (item[1]["name"], item[0]))]


def cli(*args):
    return run(list(args))


def listed_slugs(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line.strip()]


# --- listing and searching --------------------------------------------------------------------------------


def test_oils_lists_the_whole_catalog():
    status, out, err = cli("oils")
    assert status == 0 and err == ""
    assert listed_slugs(out) == NAME_ORDER  # the API's order
    lavender = next(line for line in out.splitlines() if line.startswith("lavender "))
    assert "Lavender" in lavender and "essential" in lavender and "Lavandula angustifolia" in lavender


@pytest.mark.parametrize("kind", ["carrier", "essential"])
def test_oils_by_kind(kind):
    status, out, _ = cli("oils", "--kind", kind)
    assert status == 0
    assert listed_slugs(out) == [slug for slug in NAME_ORDER if ENTRIES[slug]["kind"] == kind]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lav", {"lavender", "lavandin", "spike-lavender"}),  # slug and name
        ("LAVANDULA", {"lavender", "lavandin", "spike-lavender"}),  # botanical name, any case
        ("Mentha", {"peppermint"}),
        ("almond", {"sweet-almond"}),
    ],
)
def test_oils_search_slug_name_and_botanical_name(query, expected):
    status, out, _ = cli("oils", query)
    assert status == 0
    assert expected <= set(listed_slugs(out))
    for slug in listed_slugs(out):
        entry = ENTRIES[slug]
        assert any(query.lower() in (entry.get(name) or "").lower() for name in ("slug", "name", "botanical_name"))


def test_oils_search_with_kind_and_json():
    status, out, _ = cli("oils", "cocos", "--kind", "carrier", "--json")  # not a slug: a search
    assert status == 0
    found = json.loads(out)
    assert isinstance(found, list) and len(found) >= 2
    assert all(entry["kind"] == "carrier" and "coconut" in entry["slug"] for entry in found)
    assert found[0] == ENTRIES[found[0]["slug"]]


def api_slugs(client, query: str) -> list[str]:
    """Every slug ``GET /api/v1/oils?<query>`` lists, page after page."""
    slugs, page = [], 1
    while True:
        response = client.get(f"/api/v1/oils?{query}&page={page}&page_size=7")
        assert response.status_code == 200, response.get_data(as_text=True)
        slugs += [entry["slug"] for entry in response.get_json()]
        if page >= json.loads(response.headers["X-Pagination"])["last_page"]:
            return slugs
        page += 1


@pytest.mark.parametrize(
    ("args", "query"),
    [
        (["lav"], "q=lav"),
        (["LAVANDULA"], "q=LAVANDULA"),
        (["an"], "q=an"),  # many matches, over several pages
        (["cocos", "--kind", "carrier"], "q=cocos&kind=carrier"),
        (["--kind", "essential"], "kind=essential"),
        ([], ""),
    ],
)
def test_cli_and_api_list_the_same_oils_in_the_same_order(client, args, query):
    status, out, _ = cli("oils", *args)
    assert status == 0
    slugs = listed_slugs(out)
    assert slugs == api_slugs(client, query)
    assert len(slugs) >= 2


def test_oils_lav_is_in_name_order():
    status, out, _ = cli("oils", "lav", "--json")
    found = json.loads(out)
    assert [entry["name"] for entry in found] == sorted(entry["name"] for entry in found)
    assert {"lavender", "lavandin", "spike-lavender"} <= {entry["slug"] for entry in found}


def test_no_match_suggests_the_nearest_slugs():
    status, out, err = cli("oils", "lavendr")
    assert status == 2 and out == ""
    assert "lavendr" in err and "lavender" in err
    status, out, _ = cli("oils", "lavendr", "--json")
    problem = json.loads(out)
    assert status == 2 and problem["status"] == 404 and "lavender" in problem["detail"]


def test_bad_kind_is_an_error():
    status, _, err = cli("oils", "--kind", "absolute")
    assert status == 2 and "--kind" in err


# --- one oil in words ----------------------------------------------------------------------------------------


def test_one_oil_in_words():
    status, out, err = cli("oils", "peppermint")
    assert status == 0 and err == ""
    entry = ENTRIES["peppermint"]
    assert out.startswith("Peppermint (peppermint)")
    assert "essential oil" in out and entry["botanical_name"] in out
    assert f"{entry['max_dermal_percent']:g} %" in out
    for code in entry["contraindications"]:
        assert CONTRAINDICATION_WORDS[code] in out
        assert code not in out.replace(CONTRAINDICATION_WORDS[code], "")
    assert "G6PD deficiency" in out


def test_an_oil_without_its_own_maximum():
    status, out, _ = cli("oils", "lavender")
    assert status == 0
    assert "no oil-specific maximum: the person's and the use's limits apply" in out


def test_phototoxic_limit_and_sources_resolved_to_citations():
    status, out, _ = cli("oils", "bergamot")
    assert status == 0
    assert f"{ENTRIES['bergamot']['phototoxic_max_percent']:g} %" in out
    registry = source_registry()
    for key in ENTRIES["bergamot"]["sources"]:
        if key in registry:
            assert f"{key}: {source_citation(registry[key])}" in out
        else:
            assert f"\n  {key}" in out


def test_a_carrier_in_words():
    slug, entry = next((slug, e) for slug, e in ENTRIES.items() if e["kind"] == "carrier" and e.get("allergens"))
    status, out, _ = cli("oils", slug)
    assert status == 0 and "carrier oil" in out
    for code in entry["allergens"]:
        assert ALLERGEN_WORDS[code] in out
    if entry.get("comedogenic") is not None:
        assert f"{entry['comedogenic']} of 5" in out
    solid = next(e for e in ENTRIES.values() if e.get("solid_below_c") is not None)
    status, out, _ = cli("oils", solid["slug"])
    assert f"below {solid['solid_below_c']:g} °C" in out


def test_every_code_in_the_catalog_has_words():
    for entry in ENTRIES.values():
        for code in (*entry.get("contraindications", ()), *entry.get("cautions", ())):
            assert code in CONTRAINDICATION_WORDS, (entry["slug"], code)
        for code in entry.get("allergens", ()):
            assert code in ALLERGEN_WORDS, (entry["slug"], code)


def test_render_oil_puts_every_code_in_words():
    entry = {
        "slug": "test-oil",
        "name": "Test oil",
        "kind": "essential",
        "botanical_name": "Testus oleum",
        "variant": "test",
        "max_dermal_percent": 0.5,
        "max_dermal_reason": "sensitization",
        "phototoxic_max_percent": 0.4,
        "sensitizer": True,
        "oxidizes": True,
        "shelf_life_months": 12,
        "contraindications": list(CONTRAINDICATION_WORDS),
        "cautions": ["damaged_skin"],
        "allergens": list(ALLERGEN_WORDS),
        "drops_per_ml": 25,
        "comedogenic": 2,
        "solid_below_c": 15,
        "sources": [{"key": "NOWHERE", "title": None, "publisher": None, "url": None, "citation": None}],
    }
    text = render_oil(entry)
    for words in (*CONTRAINDICATION_WORDS.values(), *ALLERGEN_WORDS.values()):
        assert words in text
    assert "take care with: damaged or broken skin (caution on sensitive skin)" in " ".join(text.split())
    for fragment in (
        "0.5 % of the blend",
        "sensitization",
        "0.4 %",
        "sensitizer:",
        "use within 12 months",
        "25 drops per mL",
        "2 of 5",
        "below 15 °C",
        "\n  NOWHERE",
    ):
        assert fragment in text


def test_one_oil_as_json_has_its_sources_resolved():
    status, out, _ = cli("oils", "peppermint", "--json")
    assert status == 0
    document = json.loads(out)
    entry = ENTRIES["peppermint"]
    assert {k: v for k, v in document.items() if k != "sources"} == {k: v for k, v in entry.items() if k != "sources"}
    assert [source["key"] for source in document["sources"]] == entry["sources"]
    registry = source_registry()
    for source in document["sources"]:
        assert set(source) == {"key", "title", "publisher", "url", "citation"}
        if source["key"] in registry:
            assert source["title"] == registry[source["key"]]["title"]


def test_without_the_source_registry_sources_show_as_keys(monkeypatch):
    def missing():
        raise FileNotFoundError("sources.toml")

    monkeypatch.setattr(cli_module, "source_registry", missing)
    status, out, _ = cli("oils", "lavender")
    assert status == 0
    for key in ENTRIES["lavender"]["sources"]:
        assert f"\n  {key}" in out
    status, out, _ = cli("oils", "lavender", "--json")
    assert json.loads(out)["sources"][0]["title"] is None


# --- sources -----------------------------------------------------------------------------------------------------


def test_sources_lists_every_source_with_its_citation():
    registry = source_registry()
    status, out, _ = cli("sources")
    assert status == 0
    assert len(out.splitlines()) == len(registry)
    for key, entry in registry.items():
        assert any(line.split()[0] == key and source_citation(entry) in line for line in out.splitlines())
    status, out, _ = cli("sources", "--json")
    assert [source["key"] for source in json.loads(out)] == list(registry)


def test_one_source():
    key, entry = next(iter(source_registry().items()))
    status, out, _ = cli("sources", key)
    assert status == 0 and out.startswith(key) and entry["title"] in out
    status, out, _ = cli("sources", key.lower(), "--json")
    assert status == 0 and json.loads(out) == {"key": key, **entry}


def test_unknown_source():
    status, out, err = cli("sources", "no-such-source")
    assert status == 2 and out == "" and "no-such-source" in err
    status, out, _ = cli("sources", "no-such-source", "--json")
    assert status == 2 and json.loads(out)["status"] == 404
