"""A serving process loads what every page needs and freezes it out of the garbage
collector's walks (`stridewell.web.warm`), then freezes once more when warm.

Freezing is process-wide, so each check runs in a child process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

WAIT_S = 120

SERVE_AND_COUNT = """
import asyncio, gc, json
from stridewell.cli.serve import ServeSettings, build_app
from stridewell.web.warm import FreezeWhenWarm

own = build_app(ServeSettings())  # the runner's own app: started as before
at_start_own = gc.get_freeze_count()
club = build_app(ServeSettings(multi_user=True))
at_start = gc.get_freeze_count()
installed = any(m.cls is FreezeWhenWarm for m in club.user_middleware)
installed_own = any(m.cls is FreezeWhenWarm for m in own.user_middleware)
gc.unfreeze()

async def answer(scope, receive, send):
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})

async def request(app):
    async def receive():
        return {"type": "http.request", "body": b""}
    async def send(message):
        pass
    await app({"type": "http", "method": "GET", "path": "/"}, receive, send)

warm = FreezeWhenWarm(answer, after=3)
counts = []
for _ in range(4):
    asyncio.run(request(warm))
    counts.append(gc.get_freeze_count())
print(json.dumps({"own": at_start_own, "at_start": at_start, "after_each_request": counts,
                  "installed": [installed_own, installed]}))
"""


def test_a_club_server_process_is_frozen_at_start_and_once_more_when_warm(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SERVE_AND_COUNT],
        capture_output=True,
        text=True,
        timeout=WAIT_S,
        env={
            **{k: v for k, v in os.environ.items() if k != "STRIDEWELL_DATABASE_URL"},
            "STRIDEWELL_DATA_DIR": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["own"] == 0  # the runner's own app starts as it did
    assert found["installed"] == [False, True]
    # The knowledge base, rules and templates are loaded before the first request.
    assert found["at_start"] > 10_000
    counts = found["after_each_request"]
    assert counts[:2] == [0, 0]  # not yet warm
    assert counts[2] > 0  # the third request froze what was alive
    assert counts[3] == counts[2]  # once only
