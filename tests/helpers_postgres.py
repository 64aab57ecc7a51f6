"""The PostgreSQL server the tests may use: TEST_DATABASE_URL, or a skip saying why there is none."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from oil_blends.config import database_url


def postgres_url() -> str:
    """TEST_DATABASE_URL as a SQLAlchemy URL; the test skips when it is not set, not PostgreSQL or not answering."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = database_url(url, "")
    if sa.make_url(url).get_backend_name() != "postgresql":
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL URL")
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        engine.connect().close()
    except sa.exc.OperationalError as error:
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL does not answer: {error}")
    finally:
        engine.dispose()
    return url
