"""The Flask extensions, created unbound and attached to an app in ``create_app``.

Only framework objects the storage layer and the web pages share live here; the API's flask-smorest ``Api`` lives
with the API. Flask-Migrate is not one of them: the flask command line registers it, a server only when its
database needs a migration (``oil_blends.storage.database.register_migrate``), so a serving worker does not
import Alembic.
"""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()  # the web pages' sessions (oil_blends/web/auth.py)
csrf = CSRFProtect()  # every form of the web pages; the API has no cookies to forge (app.py)
# No default limit: only the login form is limited (oil_blends/web/auth.py), never the API or the other pages
limiter = Limiter(key_func=get_remote_address, default_limits=[])
