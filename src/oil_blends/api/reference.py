"""``/api/v1/rules``, ``/api/v1/units`` and ``/api/v1/sources``: the data and sources behind every figure."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.documents.catalog import rules_document
from oil_blends.documents.schemas import RulesDocumentSchema, SourceSchema, UnitsDocumentSchema
from oil_blends.documents.units import units_document
from oil_blends.storage.oils import source_entries

blp = Blueprint("reference", __name__, url_prefix="/api/v1", description="Dilution rules, units and sources")


@blp.route("/rules")
class DilutionRules(MethodView):
    @blp.response(200, RulesDocumentSchema)
    @blp.doc(operationId="list_rules")
    def get(self):
        """List the dilution rules

        The effective maximum of a blend is the lowest `max_percent` of every rule that applies to its
        use and person.
        """
        return rules_document()


@blp.route("/units")
class Units(MethodView):
    @blp.response(200, UnitsDocumentSchema)
    @blp.doc(operationId="list_units")
    def get(self):
        """List the accepted volume units and the measuring conventions"""
        return units_document()


@blp.route("/sources")
class Sources(MethodView):
    @blp.response(200, SourceSchema(many=True))
    @blp.doc(operationId="list_sources")
    def get(self):
        """List every source that an oil or a rule cites

        Each oil's `sources` and each rule's `sources` are keys of this list.
        """
        return [{"key": key, **entry} for key, entry in source_entries().items()]


@blp.route("/sources/<key>")
class SourceEntry(MethodView):
    @blp.response(200, SourceSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.doc(operationId="get_source")
    def get(self, key):
        """Get one source by its key"""
        entry = source_entries().get(key)
        if entry is None:
            abort(404, message=f"no source {key!r}; see GET /api/v1/sources")
        return {"key": key, **entry}
