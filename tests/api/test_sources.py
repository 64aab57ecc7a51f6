"""GET /api/v1/sources, and the shipped catalog's corrections reaching a database seeded by an older release."""

from __future__ import annotations

import flask_migrate
import sqlalchemy as sa

from oil_blends.documents.catalog import catalog_document, rules_document, source_registry
from oil_blends.extensions import db
from oil_blends.storage.database import MIGRATIONS_DIR, register_migrate
from oil_blends.storage.models import CatalogVersion, OilRevision
from oil_blends.storage.oils import CATALOG_ROW, find_oil

from .helpers import assert_problem


def test_sources_list_is_the_registry(client):
    listed = client.get("/api/v1/sources").get_json()
    assert {source["key"]: {k: v for k, v in source.items() if k != "key"} for source in listed} == source_registry()


def test_every_key_an_oil_or_a_rule_cites_resolves_through_the_api(client):
    cited = {key for oil in catalog_document()["oils"] for key in oil["sources"]}
    cited |= {key for rule in rules_document()["rules"] for key in rule["sources"]}
    listed = {source["key"] for source in client.get("/api/v1/sources").get_json()}
    assert cited <= listed
    for key in sorted(cited)[:5]:
        source = client.get(f"/api/v1/sources/{key}").get_json()
        assert source["key"] == key and source["title"]


def test_unknown_source_is_a_problem(client):
    problem = assert_problem(client.get("/api/v1/sources/NO-SUCH"), 404)
    assert "NO-SUCH" in problem["detail"]


def _pretend_an_older_release_seeded(app, **changes):
    """Give the database an older shipped digest and entries that differ from this release's."""
    with app.app_context():
        db.session.get(CatalogVersion, CATALOG_ROW).shipped_digest = "an older release"
        for slug, (field, value, author) in changes.items():
            oil = find_oil(slug)
            setattr(oil, field, value)
            if author != "seed":
                db.session.flush()
                db.session.add(
                    OilRevision(
                        oil_id=oil.id,
                        oil_slug=slug,
                        oil_version=oil.version,
                        action="update",
                        changes={field: ["?", value]},
                        author=author,
                    )
                )
        db.session.commit()


def test_a_release_corrects_oils_nobody_edited_and_keeps_edited_ones(make_app):
    first = make_app()
    _pretend_an_older_release_seeded(
        first,
        wintergreen=("max_dermal_percent", None, "seed"),  # the older release's unsafe figure
        lavender=("shelf_life_months", 30, "alice"),  # an editor's change
    )
    second = make_app(first.config["SQLALCHEMY_DATABASE_URI"])
    with second.app_context():
        assert find_oil("wintergreen").max_dermal_percent == 2.5
        assert find_oil("lavender").shelf_life_months == 30
        assert db.session.get(CatalogVersion, CATALOG_ROW).shipped_digest != "an older release"
    client = second.test_client()
    problem = assert_problem(
        client.post(
            "/api/v1/blends/calculate",
            json={
                "carrier": "jojoba",
                "amount": "30 mL",
                "dilution": "5%",
                "use": "small_area",
                "oils": [{"oil": "wintergreen"}],
            },
        ),
        422,
    )
    assert "oil_maximum" in {w["code"] for w in problem["warnings"]}
    revisions = client.get("/api/v1/oils/wintergreen/revisions").get_json()
    assert revisions[0]["author"] == "seed" and revisions[0]["changes"]["max_dermal_percent"] == [None, 2.5]


def test_an_installation_at_the_first_schema_upgrades_and_takes_the_corrections(make_app, databases):
    url = databases.new()
    bare = make_app(url, AUTO_MIGRATE=False, AUTO_SEED=False)
    register_migrate(bare)
    with bare.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS_DIR, revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO catalog_version (id, version, changed_at) VALUES (1, 1, :now)"),
                {"now": "2026-01-01 00:00:00"},
            )
            connection.execute(sa.text("INSERT INTO sources (key, citation) VALUES ('TY', 'Tisserand & Young')"))
    upgraded = make_app(url)
    client = upgraded.test_client()
    assert client.get("/api/v1/sources/TY").get_json()["title"] == source_registry()["TY"]["title"]
    assert client.get("/api/v1/oils/coconut").get_json()["allergens"] == ["coconut"]
