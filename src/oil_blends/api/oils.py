"""``/api/v1/oils``: the catalog, paged and searchable; entries with ETags; their revision trail."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.documents.schemas import OilQuerySchema, OilRevisionSchema, OilSchema
from oil_blends.engine import suggest_slugs
from oil_blends.extensions import db
from oil_blends.storage.cache import catalog_cache, current_catalog
from oil_blends.storage.models import OilRevision
from oil_blends.storage.oils import find_oil, oil_entry

blp = Blueprint("oils", __name__, url_prefix="/api/v1/oils", description="The oil catalog")


def _oil_or_404(slug: str):
    oil = find_oil(slug)
    if oil is None:
        suggestions = suggest_slugs(slug, current_catalog())
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        abort(404, message=f"no oil {slug!r} in the catalog{hint}")
    return oil


@blp.route("")
class Oils(MethodView):
    @blp.arguments(OilQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, OilSchema(many=True))
    @blp.paginate()
    @blp.doc(operationId="list_oils")
    def get(self, pagination_parameters, kind=None, q=None):
        """List catalog oils

        Filter by `kind` (carrier or essential) and search `q` in the slug, name and botanical name.
        Paged by `page` and `page_size`; the `X-Pagination` header gives the totals.
        """
        index = catalog_cache().current().index  # in memory, at the catalog's current version
        positions = index.select(kind, q)
        pagination_parameters.item_count = len(positions)
        return index.page(positions, pagination_parameters.first_item, pagination_parameters.page_size)


@blp.route("/<slug>")
class OilEntry(MethodView):
    @blp.etag
    @blp.response(200, OilSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="get_oil")
    def get(self, slug):
        """Get one oil

        The `ETag` header changes with every edit; send it back in `If-None-Match` to get 304 while
        the entry is unchanged.
        """
        return oil_entry(_oil_or_404(slug))


@blp.route("/<slug>/revisions")
class OilRevisions(MethodView):
    @blp.response(200, OilRevisionSchema(many=True))
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="list_oil_revisions")
    def get(self, slug):
        """List the changes to one oil, newest first: who changed what, when"""
        revisions = (
            db.session.execute(
                select(OilRevision)
                .where(OilRevision.oil_slug == slug)
                .order_by(OilRevision.created_at.desc(), OilRevision.id.desc())
            )
            .scalars()
            .all()
        )
        if not revisions:
            _oil_or_404(slug)
        return revisions
