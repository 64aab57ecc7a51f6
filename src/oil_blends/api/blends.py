"""``POST /api/v1/blends/calculate``: the calculation, kept light (no schema dump on the way out)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from oil_blends.api.body import json_body
from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.calculator import load_request, result_document, run_calculation
from oil_blends.schemas import BlendRequestSchema, BlendResultSchema
from oil_blends.storage.cache import current_catalog

blp = Blueprint("blends", __name__, url_prefix="/api/v1/blends", description="Blend calculation")

REQUEST_EXAMPLE = {
    "carrier": "sweet-almond", "amount": "30 mL", "amount_of": "blend", "dilution": "2%",
    "oils": [{"oil": "lavender", "parts": 2}, {"oil": "peppermint", "parts": 1}],
    "use": "massage",
    "profile": {"age_years": 40, "pregnant": False, "skin": "normal", "conditions": [], "allergies": [],
                "sun_exposure": True},
    "conventions": {"drops_per_ml": 20, "teaspoon": "metric"}, "on_limit": "reject",
}


@blp.route("/calculate")
class BlendCalculation(MethodView):
    @blp.doc(requestBody={
        "required": True,
        "content": {"application/json": {"schema": BlendRequestSchema, "example": REQUEST_EXAMPLE}},
    })
    @blp.response(200, BlendResultSchema)
    @blp.alt_response(400, response="BAD_REQUEST")
    @blp.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self):
        """Calculate a blend in whole drops

        Turns a carrier, a batch amount in any unit, a dilution and essential oils in parts into drops
        and millilitres, capped or refused at the safe maximum for the use and the person, with every
        warning. Invalid input gets a 422 problem with `errors` per field (an unknown oil suggests the
        nearest slugs); a refused blend gets a 422 problem with its `warnings`.
        """
        blend = run_calculation(load_request(json_body()), current_catalog())
        return current_app.json.response(result_document(blend))
