"""The shipped catalog: validated by the one OilSchema, sourced, and carrying the reference's figures."""

from pathlib import Path

import pytest
from marshmallow import ValidationError

from oil_blends.documents.catalog import catalog_document, rules_document, shipped_oils, source_registry
from oil_blends.documents.schemas import OilSchema

REQUIRED_ESSENTIAL = [
    "lavender",
    "peppermint",
    "eucalyptus-globulus",
    "eucalyptus-radiata",
    "roman-chamomile",
    "german-chamomile",
    "tea-tree",
    "rosemary",
    "lemongrass",
    "cinnamon-bark",
    "cinnamon-leaf",
    "clove-bud",
    "bergamot",
    "bergamot-fcf",
    "lemon",
    "lemon-distilled",
    "lime",
    "lime-distilled",
    "grapefruit",
    "sweet-orange",
    "bitter-orange",
    "ylang-ylang",
    "birch",
    "wintergreen",
    "sage",
    "clary-sage",
    "basil",
    "fennel",
    "thyme",
    "oregano",
    "frankincense",
    "geranium",
    "ginger",
    "black-pepper",
]
REQUIRED_CARRIERS = [
    "sweet-almond",
    "jojoba",
    "coconut",
    "fractionated-coconut",
    "grapeseed",
    "apricot-kernel",
    "argan",
    "avocado",
    "olive",
    "sunflower",
    "macadamia",
    "rosehip",
    "peanut",
    "arnica-infused",
]


@pytest.fixture(scope="module")
def entries():
    return catalog_document()["oils"]


def test_every_entry_passes_the_oil_schema(entries):
    schema = OilSchema()
    for entry in entries:
        schema.load(entry)


def test_slugs_unique_and_counts(entries):
    slugs = [e["slug"] for e in entries]
    assert len(slugs) == len(set(slugs))
    kinds = [e["kind"] for e in entries]
    assert kinds.count("essential") >= 45
    assert kinds.count("carrier") >= 14
    oils = shipped_oils()
    for slug in REQUIRED_ESSENTIAL:
        assert oils[slug].kind == "essential", slug
    for slug in REQUIRED_CARRIERS:
        assert oils[slug].kind == "carrier", slug


def test_every_entry_names_sources_that_resolve(entries):
    sources = source_registry()
    for entry in entries:
        assert entry["sources"], entry["slug"]
        for key in entry["sources"]:
            assert key in sources, (entry["slug"], key)


def test_every_rule_cites_sources_that_resolve():
    sources = source_registry()
    for rule in rules_document()["rules"]:
        assert rule["sources"], rule["id"]
        for key in rule["sources"]:
            assert key in sources, (rule["id"], key)


def test_every_source_says_what_it_is_and_where_to_find_it():
    for key, entry in source_registry().items():
        assert entry["title"] and entry["publisher"], key
        assert entry["url"] or entry["citation"], key
        if entry["url"]:
            assert entry["url"].startswith("https://"), key


def test_the_written_facts_cite_only_registered_sources():
    """docs/safety-data.md cites its facts by key, like the data; each key must resolve."""
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "safety-data.md").read_text(encoding="utf-8")
    cited = {
        key.strip()
        for group in re.findall(r"\[([A-Za-z][\w\-]*(?:,\s*[A-Za-z][\w\-]*)*)\]", text)
        for key in group.split(",")
    }
    assert len(cited) > 30
    assert cited <= set(source_registry()), sorted(cited - set(source_registry()))


@pytest.mark.parametrize(
    ("slug", "field", "value"),
    [
        ("bergamot", "phototoxic_max_percent", 0.4),
        ("lemon", "phototoxic_max_percent", 2),
        ("lime", "phototoxic_max_percent", 0.7),
        ("grapefruit", "phototoxic_max_percent", 4),
        ("bitter-orange", "phototoxic_max_percent", 1.25),
        ("bergamot-fcf", "phototoxic_max_percent", None),
        ("lemon-distilled", "phototoxic_max_percent", None),
        ("lime-distilled", "phototoxic_max_percent", None),
        ("sweet-orange", "phototoxic_max_percent", None),
        ("cinnamon-bark", "max_dermal_percent", 0.07),
        ("cinnamon-leaf", "max_dermal_percent", 0.5),
        ("clove-bud", "max_dermal_percent", 0.5),
        ("lemongrass", "max_dermal_percent", 0.7),
        ("ylang-ylang", "max_dermal_percent", 0.8),
        ("peppermint", "max_dermal_percent", 5.4),
        ("eucalyptus-globulus", "max_dermal_percent", 20),
        ("thyme", "max_dermal_percent", 1),
        ("oregano", "max_dermal_percent", 1),
        ("basil", "max_dermal_percent", 0.1),
        ("fennel", "max_dermal_percent", 2.5),
        ("birch", "max_dermal_percent", 2.5),
        ("wintergreen", "max_dermal_percent", 2.5),  # no figure of its own: held to birch's, both methyl salicylate
        ("jasmine", "max_dermal_percent", 0.7),
        ("sage", "max_dermal_percent", 0.4),
        ("lavender", "max_dermal_percent", None),
        ("tea-tree", "max_dermal_percent", None),
        ("coconut", "solid_below_c", 24),
        ("coconut", "comedogenic", 4),
        ("argan", "comedogenic", 0),
        ("rosehip", "comedogenic", 1),
    ],
)
def test_reference_figures(slug, field, value):
    entry = next(e for e in catalog_document()["oils"] if e["slug"] == slug)
    assert entry[field] == value


@pytest.mark.parametrize(
    ("slug", "allergens"),
    [
        ("sweet-almond", ["tree_nut"]),
        ("argan", ["tree_nut"]),
        ("macadamia", ["tree_nut"]),
        ("coconut", ["coconut"]),
        ("fractionated-coconut", ["coconut"]),
        ("sunflower", ["asteraceae"]),
        ("peanut", ["peanut"]),
        ("jojoba", []),
        ("grapeseed", []),
        ("olive", []),
    ],
)
def test_carrier_allergens(slug, allergens):
    assert list(shipped_oils()[slug].allergens) == allergens


def test_contraindication_codes():
    oils = shipped_oils()
    assert "g6pd" in oils["peppermint"].contraindications
    assert "child_face_under_10" in oils["peppermint"].contraindications
    assert "child_never" in oils["birch"].contraindications
    assert "child_never" in oils["wintergreen"].contraindications
    assert "anticoagulants" in oils["wintergreen"].contraindications
    assert "asthma" in oils["eucalyptus-globulus"].cautions
    assert "epilepsy" in oils["rosemary"].contraindications
    assert "pregnancy" in oils["sage"].contraindications
    assert oils["tea-tree"].oxidizes and oils["lemon"].oxidizes


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Bad Slug"}, "slug"),
        ({"kind": "resin"}, "kind"),
        ({"max_dermal_percent": -1}, "max_dermal_percent"),
        ({"max_dermal_percent": float("nan")}, "max_dermal_percent"),
        ({"contraindications": ["sunburn"]}, "contraindications"),
        ({"allergens": ["pollen"]}, "allergens"),
        ({"comedogenic": 2}, "comedogenic"),  # only carriers have a comedogenic rating
        ({"comedogenic": 9}, "comedogenic"),
        ({"sources": []}, "sources"),
        ({"colour": "purple"}, "colour"),
    ],
)
def test_oil_schema_rejects(change, field):
    entry = dict(next(e for e in catalog_document()["oils"] if e["slug"] == "lavender"))
    entry.update(change)
    with pytest.raises(ValidationError) as error:
        OilSchema().load(entry)
    assert field in error.value.messages
