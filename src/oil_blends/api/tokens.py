"""``/api/v1/tokens``: an editor trades a username and password for a bearer token, and revokes it.

Failed attempts share the login page's limit per client address (``OIL_BLENDS_LOGIN_LIMIT``); over it the answer is
429 with ``Retry-After``, before any password is checked.
"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import fields, validate

from oil_blends.api.auth import (
    TOO_MANY_DOC,
    basic_required,
    current_token,
    current_user,
    failed_basic_sign_in,
    token_required,
)
from oil_blends.api.body import no_content
from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.api.spec import docs_only
from oil_blends.documents.problems import invalid_request
from oil_blends.documents.schemas import Document, PlainText, WholeNumber
from oil_blends.storage.accounts import (
    MAX_TOKEN_DAYS,
    create_token,
    revoke_token,
    token_expiry,
    token_lifetime_days,
)
from oil_blends.web.auth import limit_sign_ins

blp = Blueprint("tokens", __name__, url_prefix="/api/v1/tokens", description="API tokens for editors and admins")


class TokenRequestSchema(Document):
    name = fields.String(
        load_default="",
        validate=[
            validate.Length(max=100),
            PlainText(blank=True),
        ],
        metadata={"description": "A label to tell your tokens apart", "example": "laptop"},
    )
    days = WholeNumber(
        validate=validate.Range(min=1, max=MAX_TOKEN_DAYS),
        metadata={
            "description": "How long the token lasts; by default and at most the server's OIL_BLENDS_TOKEN_DAYS "
            "(30 unless configured): more is refused with 422"
        },
    )


class TokenSchema(Document):
    token = fields.String(
        required=True, metadata={"description": "Send it as Authorization: Bearer <token>; it is shown only once"}
    )
    expires_at = fields.AwareDateTime(required=True, metadata={"example": "2026-01-31T12:00:00+00:00"})
    token_type = fields.String(required=True, metadata={"example": "Bearer"})


@blp.route("")
class Tokens(MethodView):
    @limit_sign_ins(failed_basic_sign_in)  # topmost: over the limit, no password is checked
    @docs_only(TOO_MANY_DOC)
    @basic_required
    @blp.arguments(TokenRequestSchema, required=False)
    @blp.response(201, TokenSchema, headers={"Cache-Control": {"schema": {"type": "string"}}})
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @blp.doc(operationId="create_token")
    def post(self, body):
        """Get a bearer token

        Authenticate with HTTP Basic (your username and password). The token in the answer is shown once;
        send it as `Authorization: Bearer <token>` to the write endpoints until it expires or is revoked.
        Failed attempts are limited per client address, together with the login page's (429 with Retry-After).
        """
        most = token_lifetime_days()
        days = body.get("days")
        if days is not None and days > most:
            raise invalid_request({"days": [f"a token lasts at most {most} days"]})
        token = create_token(current_user(), name=body.get("name", ""), days=days)
        expires_at = token_expiry(token)
        headers = {"Cache-Control": "no-store"}
        return {"token": token, "expires_at": expires_at, "token_type": "Bearer"}, 201, headers

    @token_required
    @blp.response(204)
    @blp.doc(operationId="revoke_token")
    def delete(self):
        """Revoke the bearer token this request is sent with"""
        revoke_token(current_token())
        return no_content()
