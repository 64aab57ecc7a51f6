"""The app served over real HTTP on werkzeug's development server (what ``flask run`` uses), for the tests
that need a socket: browsers, schemathesis, generated clients."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


def read_before_sending(app):
    """Each response body read (and its file closed) before the server writes to the socket.

    The development server's request handler reads what is left of a request before it closes the response,
    so a browser that drops a connection (a favicon fetch cut short when a page closes) makes it skip the
    close, and a static file stays open until the garbage collector finds it: a ResourceWarning, which this
    suite treats as an error. The app's responses are small documents and pages, so reading them whole first
    changes nothing else.
    """

    def wsgi(environ, start_response) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def served(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, read_before_sending(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
