"""The WSGI entry point: ``flask --app app run`` or ``gunicorn -w 2 -b 127.0.0.1:8000 app:app``.

A recipe file that stops the start (unreadable, an unknown oil, an unsafe dilution), a bad setting (no
SECRET_KEY under a production server, a token lifetime that is not a number...) or, with OIL_BLENDS_AUTO_MIGRATE=0,
a database not migrated to this release's schema is reported in one line on
standard error, naming the file or the variable and the reason, and the process exits with status 4, which
gunicorn reads as "the application failed to load" and stops instead of restarting workers.
"""

import gc
import sys
import time

from oil_blends.app import create_app
from oil_blends.config import ConfigError, started_by_flask_cli
from oil_blends.documents.recipes import RecipeError
from oil_blends.errors import UNREACHABLE, database_fault
from oil_blends.storage.database import SCHEMA_BEHIND

APP_LOAD_ERROR = 4  # gunicorn's exit status for an application that cannot be loaded
DATABASE_AWAY = 1  # any other status: gunicorn starts the worker again (3, a failed boot, would stop them all)
RETRY_SECONDS = 1  # how long a worker that found no database waits before it exits to be started again

try:
    app = create_app()
except (RecipeError, ConfigError) as error:
    sys.stderr.write(f"oil-blends: cannot start: {error}\n")
    raise SystemExit(APP_LOAD_ERROR) from None
except Exception as error:
    if database_fault(error) is not UNREACHABLE:
        raise
    # A worker started while the database is away (a restart, a network cut) tries again until it is back, while the
    # other workers answer 503; gunicorn would read an exception here as a failed boot and stop every worker.
    reason = next(iter(str(error).splitlines()), type(error).__name__)  # its first line; an empty one would fail here
    if started_by_flask_cli():  # a command, not a worker: nothing starts it again
        sys.stderr.write(f"oil-blends: cannot start: the database cannot be reached ({reason})\n")
        raise SystemExit(DATABASE_AWAY) from None
    sys.stderr.write(f"oil-blends: the database cannot be reached ({reason}); this worker starts again\n")
    time.sleep(RETRY_SECONDS)
    raise SystemExit(DATABASE_AWAY) from None

if SCHEMA_BEHIND in app.extensions and not started_by_flask_cli():  # the flask command still runs flask db upgrade
    sys.stderr.write(f"oil-blends: cannot start: {app.extensions[SCHEMA_BEHIND]}\n")
    raise SystemExit(APP_LOAD_ERROR)

# What start-up built (the catalog, the unit registry, the schemas, the routes) lives as long as the process:
# keeping it out of the garbage collector's passes spares every request its share of scanning it again.
gc.freeze()
