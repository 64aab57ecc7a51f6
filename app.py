"""The WSGI entry point: ``flask --app app run`` or ``gunicorn -w 2 -b 127.0.0.1:8000 app:app``."""

from oil_blends.app import create_app

app = create_app()
