"""``GET /api/v1/rules`` and ``GET /api/v1/units``: the data behind every limit and conversion."""

from __future__ import annotations

from flask.views import MethodView

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.engine.rules import rules_document
from oil_blends.schemas import RulesDocumentSchema, UnitsDocumentSchema
from oil_blends.units import units_document

blp = Blueprint("reference", __name__, url_prefix="/api/v1", description="Dilution rules and units")


@blp.route("/rules")
class DilutionRules(MethodView):
    @blp.response(200, RulesDocumentSchema)
    def get(self):
        """List the dilution rules

        The effective maximum of a blend is the lowest `max_percent` of every rule that applies to its
        use and person.
        """
        return rules_document()


@blp.route("/units")
class Units(MethodView):
    @blp.response(200, UnitsDocumentSchema)
    def get(self):
        """List the accepted volume units and the measuring conventions"""
        return units_document()
