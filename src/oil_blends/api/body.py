"""Reading a JSON request body strictly: standard JSON only, with a clear 4xx for anything else; and the empty
answer of a delete."""

from __future__ import annotations

from typing import Any

import orjson
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider, JSONProvider
from marshmallow import Schema
from webargs import core
from webargs.flaskparser import FlaskParser

from oil_blends.documents import strict_json
from oil_blends.documents.problems import Problem
from oil_blends.documents.schemas import plain_words

ENTRY_ASKED = 'the entry\'s fields as a JSON object, such as {"description": "Steam-distilled", "source": "TY"}'
BODY_EXAMPLE = '{"carrier": "sweet-almond", "amount": "30 mL", "oils": [{"oil": "lavender", "parts": 2}]}'


# Types orjson would write its own way are handed to Flask's ``default`` instead, so the output is Flask's
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading strictly (``strict_json``: no NaN/Infinity, no key twice), keeping key order in
    responses, and never failing with a 5xx.

    Responses are written by orjson (about a tenth of the standard library's time); the standard library
    writes what orjson cannot (an integer past 64 bits) and any call asking for indentation.
    """

    sort_keys = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_json.loads(s)

    def dump_bytes(self, obj: Any) -> bytes:
        """``obj`` as compact UTF-8 JSON."""
        try:
            return orjson.dumps(obj, default=self.default, option=_ORJSON_OPTIONS)
        except TypeError:
            text = super().dumps(obj, separators=(",", ":"), ensure_ascii=False)
        try:
            return text.encode()
        except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold: written as its \\u escape
            return super().dumps(obj, separators=(",", ":")).encode()

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if not kwargs or kwargs == {"separators": (",", ":")}:
            return self.dump_bytes(obj).decode()
        return super().dumps(obj, **kwargs)


def request_body(asked: str = f"a JSON object such as {BODY_EXAMPLE}") -> bytes:
    """The request's raw body, or a 400/413/415 problem when it is empty, too large or not JSON (an empty one is
    told to send what ``asked`` says)."""
    req = request._get_current_object()  # one context lookup, not one per attribute
    # werkzeug refuses a Content-Length past MAX_CONTENT_LENGTH; a chunked body that reaches it was refused before
    # the view by the request limits (security.py)
    data = req.get_data(cache=True)
    if not data or data.isspace():
        raise Problem(400, f"the request body is empty; send {asked}", title="Empty body")
    if not req.is_json:
        given = req.mimetype or "no Content-Type"
        raise Problem(415, f"send the body as application/json (got {given})")
    return data


def parse_body(data: bytes, json: JSONProvider) -> Any:
    """A body as a JSON document read by the app's ``json`` (strict: a key given twice is refused too), or a 400
    problem saying what is wrong with it."""
    try:
        return json.loads(data)
    except ValueError as error:
        raise Problem(400, f"the body is not valid JSON: {error}", title="Malformed JSON") from None


class StrictJSONParser(FlaskParser):
    """webargs' parser (``@blp.arguments``), reading a JSON body as the calculation does: the app's strict reader,
    415 for another content type and a 400 saying what is wrong with it, never a body silently ignored.

    An empty body reads as an empty object, so the schema names each field it needs (a review or a token asked
    for with no options takes none); on PUT and PATCH, which only ever carry an entry, it is a 400.
    """

    def __init__(self) -> None:
        super().__init__()
        self._worded: dict[type, Schema] = {}

    def _get_schema(self, argmap: Any, req: Any) -> Schema:
        """The schema, its errors worded as the app's own: one instance of a schema class a library passes (the
        pagination parameters), made once."""
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            if argmap not in self._worded:
                self._worded[argmap] = plain_words(argmap())
            return self._worded[argmap]
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req: Any) -> Any:
        data = req.get_data(cache=True)
        if (not data or data.isspace()) and req.method not in ("PUT", "PATCH"):
            return core.missing
        return parse_body(request_body(ENTRY_ASKED), current_app.json)


def no_content():
    """A 204 answer: no body, and so no Content-Type either."""
    response = current_app.response_class(status=204)
    del response.headers["Content-Type"]
    return response
