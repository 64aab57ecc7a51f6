"""``GET /healthz``: the process answers and the database with it."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy.exc import SQLAlchemyError

from oil_blends.api.spec import ApiBlueprint as Blueprint
from oil_blends.documents.problems import Problem
from oil_blends.documents.schemas import HealthSchema
from oil_blends.storage.oils import catalog_version

blp = Blueprint("health", __name__, url_prefix="/healthz", description="Service health")


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    @blp.doc(operationId="check_health")
    def get(self):
        """Check the service and its database

        Answers 200 when a query to the database succeeds, 503 otherwise.
        """
        try:
            version = catalog_version()
        except SQLAlchemyError:
            raise Problem(503, "the database does not answer") from None
        return {"status": "ok", "database": "ok", "catalog_version": version}
