"""gunicorn's settings for this app: gunicorn reads this file when it is started in this folder, as the README's
``gunicorn -w 2 -b 127.0.0.1:8000 app:app`` is.

gunicorn refuses some requests itself, before the app sees them: a request line over ``--limit-request-line``
(414), too many or too large header fields (431), a line that is not HTTP, a bad Content-Length or chunk size (400).
It writes those as small HTML pages; here they are RFC 9457 problem documents, as every other refusal of the API
is, with gunicorn's own words for what was wrong ("Request Line is too large (6059 > 4094)"). The path of such a
request may not even have been read, so the document cannot depend on it. Nothing else is set here: every other
setting is gunicorn's default or the command line's, and the file imports nothing of the app.
"""

import json

from gunicorn import util

PROBLEM_CONTENT_TYPE = "application/problem+json"


def write_problem(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's ``util.write_error``, writing a problem document instead of an HTML page."""
    detail = mesg or reason
    body = json.dumps({"type": "about:blank", "title": reason, "status": status_int, "detail": detail}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = write_problem  # the workers' handle_error calls it by this name for every request they refuse
