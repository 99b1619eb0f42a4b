"""``ketenregie serve``: gunicorn answers the application's pages and its own static files (whitenoise)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db
def test_serve_runs_gunicorn_with_the_application_and_its_static_files() -> None:
    database = connection.settings_dict
    port = _free_port()
    environment = {
        **os.environ,
        # The test database: /health/ asks it a question.
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}",
        "PYTHONPATH": str(ROOT / "src"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ketenregie.cli",
            "serve",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--no-collectstatic",
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health/", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.2)
        assert health.status_code == 200
        assert health.json()["worker"] == "eager"
        script = httpx.get(f"http://127.0.0.1:{port}/static/ketenregie/staff.js", timeout=5)
        assert script.status_code == 200
        assert "kr-autosubmit" in script.text
        assert httpx.get(f"http://127.0.0.1:{port}/app/", timeout=5).status_code == 302
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Serving on http://127.0.0.1" in output
    assert '"GET /health/" 200' in output
