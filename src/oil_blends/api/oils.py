"""``/api/v1/oils``: the catalog, paged and searchable; entries with ETags; editors' changes, their review and
the revision trail.

Every change needs the entry's ETag in ``If-Match`` (428 without it or with ``*``, which would match any version; 412
when another change was saved first). An editor's change to a safety figure, and an editor's new oil, answer 202
with the pending change; an admin other than its author approves or rejects it. See :mod:`oil_blends.storage.editing`
for the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, make_response, request, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError
from sqlalchemy import select

from oil_blends.api.auth import current_user, role_required
from oil_blends.api.body import no_content
from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.api.spec import known_query_parameters, refuse_any_etag, refuse_weak_etag
from oil_blends.documents.problems import Problem, invalid_request
from oil_blends.documents.schemas import (
    CHANGE_FIELDS,
    CommentSchema,
    OilPatchSchema,
    OilQuerySchema,
    OilRevisionSchema,
    OilSchema,
    OilWriteSchema,
    PendingChangeSchema,
)
from oil_blends.engine import suggest_slugs
from oil_blends.extensions import db
from oil_blends.storage import editing
from oil_blends.storage.cache import catalog_cache, current_catalog
from oil_blends.storage.models import OilRevision, PendingChange, Source
from oil_blends.storage.oils import find_oil, oil_entry

blp = Blueprint("oils", __name__, url_prefix="/api/v1/oils", description="The oil catalog")


def _oil_or_404(slug: str):
    oil = find_oil(slug)
    if oil is None:
        suggestions = suggest_slugs(slug, current_catalog())
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        abort(404, message=f"no oil {slug!r} in the catalog{hint}")
    return oil


def _edit_problem(error: editing.EditError) -> Problem:
    return Problem(error.status, str(error), **error.extra)


def _change_note(data: Mapping[str, Any]) -> tuple[str | None, str]:
    """The change's source (a registry key, checked) and comment."""
    source = data.get("source")
    if source is not None and db.session.get(Source, source) is None:
        raise invalid_request({"source": [f"unknown source key {source!r}; see GET /api/v1/sources"]})
    return source, data.get("comment") or ""


def _entry(data: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if name not in CHANGE_FIELDS}


def _pending_response(pending: PendingChange):
    document = PendingChangeSchema().dump(pending)
    blp.set_etag(document)
    location = url_for("oils.PendingChangeEntry", slug=pending.oil_slug, change_id=pending.id)
    return make_response(document, 202, {"Location": location})


def _written(outcome: editing.EditOutcome, status: int = 200):
    if not outcome.applied:
        return _pending_response(outcome.pending)
    entry = oil_entry(outcome.oil)
    headers = {"Location": url_for("oils.OilEntry", slug=entry["slug"])} if status == 201 else {}
    return entry, status, headers


# The pages flask-smorest's paginate() reads (its own schema, with these names), beside the list's filters.
PAGINATION_PARAMETERS = ("page", "page_size")


@blp.route("")
class Oils(MethodView):
    @known_query_parameters(OilQuerySchema(), *PAGINATION_PARAMETERS)
    @blp.arguments(OilQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, OilSchema(many=True))
    @blp.paginate()
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.doc(operationId="list_oils")
    def get(self, pagination_parameters, kind=None, q=None):
        """List catalog oils

        Filter by `kind` (carrier or essential) and search `q` in the slug, name and botanical name.
        Paged by `page` and `page_size`; the `X-Pagination` header gives the totals. A query parameter not
        listed here is refused with a 400 problem naming it (a misspelt filter would otherwise list every oil).
        """
        index = catalog_cache().current().index  # in memory, at the catalog's current version
        positions = index.select(kind, q)
        pagination_parameters.item_count = len(positions)
        return index.page(positions, pagination_parameters.first_item, pagination_parameters.page_size)

    @role_required("editor")
    @blp.arguments(OilWriteSchema)
    @blp.response(201, OilSchema)
    @blp.alt_response(202, schema=PendingChangeSchema, description="Held for review by an admin")
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(operationId="create_oil")
    def post(self, data):
        """Add an oil
        An admin's new oil enters the catalog at once (201, `Location` of the entry). An editor's waits for an
        admin's approval (202, `Location` of the pending change) and must cite a `source` from the registry.
        The entry is validated by the same schema as the shipped catalog; 409 when the slug exists.
        """
        source, comment = _change_note(data)
        user = current_user()
        if user.role != editing.ADMIN and source is None:
            raise invalid_request({"source": ["a new oil from an editor must cite a source key"]})
        try:
            return _written(editing.create_oil(_entry(data), user, source or "", comment), 201)
        except editing.EditError as error:
            raise _edit_problem(error) from None


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

    @role_required("editor")
    @blp.etag
    @blp.arguments(OilWriteSchema)
    @blp.response(200, OilSchema)
    @blp.alt_response(202, schema=PendingChangeSchema, description="Held for review by an admin")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="replace_oil")
    def put(self, data, slug):
        """Replace an oil
        Send the whole entry and its ETag in `If-Match` (from a GET of it; `*` is refused with 428). An editor's
        change to a safety figure (kind, maxima, phototoxic limit, contraindications, cautions, allergens,
        sensitizer and oxidation flags, drop size) must cite a `source` and waits for an admin (202); other
        changes, and an admin's, apply at once.
        """
        return _update(slug, data)

    @role_required("editor")
    @blp.etag
    @blp.arguments(OilPatchSchema)
    @blp.response(200, OilSchema)
    @blp.alt_response(202, schema=PendingChangeSchema, description="Held for review by an admin")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="update_oil")
    def patch(self, data, slug):
        """Change some fields of an oil
        The fields sent are laid over the current entry and the result is validated as a whole, as PUT does.
        """
        oil = _oil_or_404(slug)
        merged = {**oil_entry(oil), **_entry(data)}
        try:
            entry = OilSchema().load(merged)
        except ValidationError as error:
            raise invalid_request(error.messages_dict) from None
        return _update(slug, {**entry, **{name: data[name] for name in CHANGE_FIELDS if name in data}}, oil)

    @role_required("admin")
    @known_query_parameters(CommentSchema())
    @blp.arguments(CommentSchema, location="query", as_kwargs=True)
    @blp.etag
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.doc(operationId="delete_oil")
    def delete(self, slug, comment):
        """Delete an oil (admins)
        Refused with 409 while a shipped recipe uses the oil. `comment` (at most 500 characters) says why.
        """
        oil = _oil_or_404(slug)
        blp.check_etag(oil_entry(oil), OilSchema)
        users = [r.name for r in current_app.extensions["oil_blends.recipes"].values() if _uses(r, slug)]
        if users:
            raise Problem(409, f"the recipes {', '.join(users)} use {slug!r}; it cannot be deleted", recipes=users)
        try:
            editing.delete_oil(oil, current_user(), comment)
        except editing.EditError as error:
            raise _edit_problem(error) from None
        return no_content()


def _uses(recipe, slug: str) -> bool:
    return recipe.carrier == slug or any(item.get("oil") == slug for item in recipe.oils)


def _update(slug: str, data: Mapping[str, Any], oil=None):
    oil = oil or _oil_or_404(slug)
    blp.check_etag(oil_entry(oil), OilSchema)
    source, comment = _change_note(data)
    entry = _entry(data)
    if entry.get("slug") != slug:
        raise invalid_request({"slug": [f"must be {slug!r}: an oil's slug cannot change"]})
    try:
        return _written(editing.update_oil(oil, entry, current_user(), source, comment))
    except editing.EditError as error:
        raise _edit_problem(error) from None


@blp.route("/<slug>/revisions")
class OilRevisions(MethodView):
    @known_query_parameters(None)
    @blp.response(200, OilRevisionSchema(many=True))
    @blp.alt_response(400, response="BAD_REQUEST")
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


@blp.route("/<slug>/pending")
class PendingChanges(MethodView):
    @blp.response(200, PendingChangeSchema(many=True))
    @blp.doc(operationId="list_pending_changes")
    def get(self, slug):
        """List the changes to one oil waiting for review
        Calculations use the approved entry until an admin approves one of these. A new oil from an editor is
        listed here under its slug before it is in the catalog.
        """
        return editing.pending_changes(slug)


@blp.route("/<slug>/pending/<int:change_id>")
class PendingChangeEntry(MethodView):
    @blp.etag
    @blp.response(200, PendingChangeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="get_pending_change")
    def get(self, slug, change_id):
        """Get one change (pending or reviewed), with its ETag"""
        return _change_or_404(slug, change_id)


def _change_or_404(slug: str, change_id: int) -> PendingChange:
    change = editing.find_pending(change_id)
    if change is None or change.oil_slug != slug:
        abort(404, message=f"no change {change_id} to {slug!r}; see GET /api/v1/oils/{slug}/pending")
    return change


def _review(slug: str, change_id: int, decide) -> PendingChange:
    """A review needs the change's ETag in If-Match, as every change does (not ``*``)."""
    change = _change_or_404(slug, change_id)
    if not request.if_match:
        raise Problem(428, "send the change's ETag in If-Match (from GET of the change) with a review")
    refuse_any_etag("change", "GET of the change")
    current = blp._generate_etag(PendingChangeSchema().dump(change))
    if current not in request.if_match:
        refuse_weak_etag(current, "change")
        raise Problem(412, "the change was reviewed or changed since you read it; read it again")
    try:
        decide(change)
    except editing.EditError as error:
        raise _edit_problem(error) from None
    return change


@blp.route("/<slug>/pending/<int:change_id>/approve")
class ApproveChange(MethodView):
    @role_required("admin")
    @blp.arguments(CommentSchema)
    @blp.response(200, PendingChangeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    @blp.doc(operationId="approve_change", parameters=["IF_MATCH"])
    def post(self, data, slug, change_id):
        """Approve a change (an admin other than its author)
        Send the change's ETag (from GET of the change) in `If-Match`: 428 without it or with `*`, 412 when the
        change was reviewed since. The change applies to the entry it was made on: 409 when the oil changed
        meanwhile (reject it and ask for it again). The next calculation on every instance uses the approved entry.
        """
        return _review(slug, change_id, lambda change: editing.approve(change, current_user(), data["comment"]))


@blp.route("/<slug>/pending/<int:change_id>/reject")
class RejectChange(MethodView):
    @role_required("admin")
    @blp.arguments(CommentSchema)
    @blp.response(200, PendingChangeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.alt_response(412, response="PRECONDITION_FAILED")
    @blp.alt_response(428, response="PRECONDITION_REQUIRED")
    @blp.doc(operationId="reject_change", parameters=["IF_MATCH"])
    def post(self, data, slug, change_id):
        """Reject a change (an admin other than its author)
        Send the change's ETag (from GET of the change) in `If-Match`: 428 without it or with `*`, 412 when the
        change was reviewed since.
        """
        return _review(slug, change_id, lambda change: editing.reject(change, current_user(), data["comment"]))
