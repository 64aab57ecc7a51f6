"""The JSON API (``/api/v1``): flask-smorest blueprints over the engine and the catalog store."""

from __future__ import annotations

from flask import Flask

from oil_blends.api.spec import ProblemApi

api = ProblemApi()  # unbound, like the extensions; attached to each app by register_api


def register_api(app: Flask) -> None:
    """Attach the Api extension and every API blueprint to ``app``."""
    from oil_blends.api import auth, blends, health, oils, recipes, reference, spec, tokens

    api.init_app(app)
    app.extensions["oil_blends.answers"] = blends.AnswerMemo()
    spec.document_custom_fields(api)
    auth.register_security_schemes(api)  # basicAuth and bearerAuth
    for blueprint in (health.blp, blends.blp, oils.blp, recipes.blp, reference.blp, tokens.blp):
        api.register_blueprint(blueprint)
    spec.register_docs_assets(app)
