"""The web app for people: server-rendered pages that work without JavaScript."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from oil_blends.web.auth import configure_login
    from oil_blends.web.editing import bp as editing_bp
    from oil_blends.web.views import bp

    app.register_blueprint(bp)
    configure_login(app)
    app.register_blueprint(editing_bp)
