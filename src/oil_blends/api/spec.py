"""The OpenAPI side of the API: problem responses documented, offline Swagger UI assets, custom fields.

Swagger UI at ``/api/docs`` runs under the Content-Security-Policy of ``oil_blends.security`` (scripts and styles
from this origin only): its page is ``templates/api/swagger_ui.html``, with no inline script, and it is started
by ``static/swagger-ui-init.js``.
"""

from __future__ import annotations

import functools
import http
from collections.abc import Callable

from flask import Blueprint, Flask, current_app, render_template, request, send_from_directory, url_for
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import etag as smorest_etag
from flask_smorest.utils import prepare_response, resolve_schema_instance
from marshmallow import Schema
from marshmallow import fields as marshmallow_fields
from werkzeug.exceptions import PreconditionFailed, abort

from oil_blends.api.body import StrictJSONParser
from oil_blends.documents.problems import PROBLEM_CONTENT_TYPE, Problem, invalid_request
from oil_blends.documents.schemas import AmountField, DilutionField, ProblemSchema

DOCS_ASSETS = "swagger_ui_assets"  # the blueprint of the docs' files
SWAGGER_UI_START_SCRIPT = "swagger-ui-init.js"  # in static/, served at /api/docs/static/
IF_MATCH_DESCRIPTION = (
    "The ETag of the entry (of the change, for a review) as read by a GET of it. Without it the answer is 428, and "
    "so it is for `*`, which would match any version and skip the check; a stale one is 412 and nothing changes."
)


def known_query_parameters(schema: Schema | None, *others: str) -> Callable:
    """Refuse a query parameter the view does not know (``schema``'s, and ``others``; None: the view takes none),
    and one given twice that takes one value, with a 400 problem, rather than ignore it (a misspelt ``use`` or
    ``age`` would otherwise give a blend for someone else, and of two amounts one would be dropped unseen)."""
    fields = schema.fields.items() if schema is not None else ()
    accepted = tuple(sorted([*(field.data_key or name for name, field in fields), *others]))
    lists = {field.data_key or name for name, field in fields if isinstance(field, marshmallow_fields.List)}

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            unknown = [name for name in request.args if name not in accepted]
            if unknown:
                listed = ", ".join(accepted) or "none, this endpoint takes no query parameters"
                problem = invalid_request({name: [f"unknown parameter; accepted: {listed}"] for name in unknown}, 400)
                problem.detail = f"unknown query parameter {', '.join(map(repr, unknown))}; accepted: {listed}"
                raise problem
            repeated = {
                name: [f"give it once: it takes one value and was given {len(values)}"]
                for name, values in request.args.lists()
                if len(values) > 1 and name not in lists
            }
            if repeated:
                raise invalid_request(repeated, 400)
            return view(*args, **kwargs)

        return checked

    return decorate


def refuse_any_etag(what: str, where: str) -> None:
    """428 for ``If-Match: *``. It matches whatever version the entry is at (werkzeug's ``star_tag``; flask-smorest's
    ``check_etag`` lets it through), so a change sent with it could overwrite another one unseen: the very loss the
    precondition is there to prevent. ``what`` is the entry or the change, ``where`` the GET its ETag comes from."""
    if request.if_match.star_tag:
        raise Problem(
            428,
            f"send the {what}'s ETag in If-Match (from {where}), not *: * matches any version, so a change made "
            "with it could overwrite another one unseen",
        )


def refuse_weak_etag(current: str, what: str) -> None:
    """A 412 saying so when If-Match holds ``current`` (the ETag of the ``what`` as it is now) marked weak: a change
    compares strongly (RFC 9110 section 13.1.1), and "it changed since you read it" would not be true."""
    if request.if_match.contains_weak(current):
        raise Problem(
            412,
            f'If-Match holds the {what}\'s ETag marked weak (W/"..."): a change needs it as a GET sends it, without W/',
        )


class ProblemApi(Api):
    """flask-smorest's Api, with every error an RFC 9457 problem, in the responses and in the document."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {
            "description": "Error (RFC 9457 problem document). Besides the answers listed, any operation that reads "
            "or writes the database answers 503 while the database does not answer, is busy or is read-only, and a "
            "write answers 507 when its disk is full; nothing is saved then, and Retry-After says when to try again.",
            "schema": self.ERROR_SCHEMA,
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again (503, 429)",
                    "schema": {"type": "integer", "minimum": 1},
                }
            },
        }
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_etag_headers(self):
        # flask-smorest's, with If-Match saying what it takes (its own description is "Tag to check against")
        components = self.spec.components
        components.parameter("IF_NONE_MATCH", "header", smorest_etag.IF_NONE_MATCH_HEADER, lazy=True)
        if_match = {**smorest_etag.IF_MATCH_HEADER, "description": IF_MATCH_DESCRIPTION}
        components.parameter("IF_MATCH", "header", if_match, lazy=True)
        if self.spec.openapi_version.major >= 3:
            components.header("ETAG", smorest_etag.ETAG_HEADER, lazy=True)

    def handle_http_exception(self, error):
        from oil_blends.errors import http_error

        return http_error(error)  # a problem document under /api/, a page for people elsewhere

    def _openapi_swagger_ui(self):
        # flask-smorest's page starts Swagger UI with an inline <script>, which the CSP blocks: this one loads a file
        return render_template(
            "api/swagger_ui.html",
            title=self.spec.title,
            spec_url=url_for(f"{self._make_doc_blueprint_name()}.openapi_json"),
            swagger_ui_url=self._swagger_ui_url,
            swagger_ui_config=self.config.get("OPENAPI_SWAGGER_UI_CONFIG", {}),
            start_script_url=url_for(f"{DOCS_ASSETS}.static", filename=SWAGGER_UI_START_SCRIPT),
        )


class ApiBlueprint(SmorestBlueprint):
    """flask-smorest's Blueprint: a 304 carries its ETag (RFC 9110 section 15.4.5); X-Pagination is a string; a
    write that needs If-Match refuses ``*`` with 428, as it refuses no If-Match at all; a JSON body is read by the
    app's strict reader (``StrictJSONParser``)."""

    ARGUMENTS_PARSER = StrictJSONParser()
    PAGINATION_ARGUMENTS_PARSER = StrictJSONParser()

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's, and for a JSON body the answers its reading may give (400, 413, 415) in the document."""
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        documented = (
            self.alt_response(400, response="BAD_REQUEST"),
            self.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE"),
            self.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE"),
        )

        def decorate(view):
            for document in documented:
                view = document(view)
            return parse(view)

        return decorate

    def check_etag(self, etag_data, etag_schema=None):
        """flask-smorest's check; a 412 for a weak ETag of the entry as it is now says so, not that it changed."""
        try:
            super().check_etag(etag_data, etag_schema)
        except PreconditionFailed:
            document = resolve_schema_instance(etag_schema).dump(etag_data) if etag_schema is not None else etag_data
            refuse_weak_etag(self._generate_etag(document), "entry")
            raise

    def _check_precondition(self):
        super()._check_precondition()  # 428 without If-Match on PUT, PATCH and DELETE
        if request.method in self.METHODS_NEEDING_CHECK_ETAG:
            refuse_any_etag("entry", "a GET of it")

    def _document_pagination_metadata(self, spec, resp_doc):
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "Paging as a JSON object: total, total_pages, first_page, last_page, page, "
            "previous_page, next_page",
            "schema": {"type": "string"},
        }

    def _check_not_modified(self, etag):
        # If-None-Match compares weakly (RFC 9110 section 13.1.2): W/"x" matches "x"
        if request.method in self.METHODS_CHECKING_NOT_MODIFIED and request.if_none_match.contains_weak(etag):
            response = current_app.response_class(status=304)
            response.set_etag(etag)
            abort(response)


def docs_only(*decorators):
    """flask-smorest decorators applied for the OpenAPI document alone: the view itself stays unwrapped.

    Each flask-smorest decorator wraps a view in a function that runs on every request. A view that builds
    its own response (the calculation, the service's hot path) needs only the documentation they attach.
    """

    def apply(view):
        documented = view
        for decorator in reversed(decorators):
            documented = decorator(documented)
        view._apidoc = documented._apidoc
        return view

    return apply


def _dilution_properties(ret: dict) -> dict:
    percent = {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 100, "exclusiveMaximum": True}
    if ret.pop("nullable", False):
        percent["nullable"] = True
    drops_or_percent = {"type": "string", "minLength": 1, "maxLength": 100, "example": "2 drops per tsp"}
    return {"oneOf": [percent, drops_or_percent]}


def _custom_field_properties(self, field, ret: dict, **kwargs) -> dict:
    """JSON Schema for request fields that accept more than one JSON type: what a client may send."""
    if isinstance(field, AmountField):
        return {"minLength": 1, "maxLength": 100}
    if isinstance(field, DilutionField):
        return _dilution_properties(ret)
    return {}


def document_custom_fields(api: Api) -> None:
    api.ma_plugin.converter.add_attribute_function(_custom_field_properties)


def register_docs_assets(app: Flask) -> None:
    """Serve Swagger UI's files from the ``swagger-ui-bundle`` package, so ``/api/docs`` works offline.

    The same blueprint holds the docs page's template (``templates/api/``) and its start-up script (``static/``,
    at ``/api/docs/static/``).
    """
    from swagger_ui_bundle import swagger_ui_path

    assets = Blueprint(
        DOCS_ASSETS, __name__, template_folder="templates", static_folder="static", static_url_path="/api/docs/static"
    )

    @assets.get("/api/docs/assets/<path:filename>")
    def swagger_ui_asset(filename: str):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    app.register_blueprint(assets)
