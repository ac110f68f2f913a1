"""Get a serving process ready before its first request, and keep its pauses short.

Python's garbage collector now and then walks every object a process holds (a "full
collection"). A serving process holds a great many that never go away: the knowledge
base, the questionnaire, the plan and running rules, the compiled templates, the app's
routes. Walking them took about 100 ms each time, measured in a process serving the
load test's pages, and every request in that process waited meanwhile (it was the
slowest one in a hundred).

So `stridewell serve` for a club or clinic (with accounts) loads all of that first, then
moves it out of the collector's way with ``gc.freeze()``. The first requests still bring
much that stays: the database driver and the ORM's mappers, the modules imported on
first use, compiled statements (about 100,000 objects after one round of pages by 20
runners). The process freezes once more after its first ``WARM_AFTER`` requests; full
collections then walk only what requests keep (the kept answers of
`storage.runner_cache`), a few milliseconds.

Frozen objects are still freed when nothing refers to them; only garbage that refers to
itself (a cycle) alive at the moment of freezing would stay, once. That is why this is
done when serving only, not in ``create_app``: tests build many apps in one process. The
runner's own app (one person, no accounts) starts as before: loading everything first
would add 0.3 s to its start for pauses nobody would notice.
"""

from __future__ import annotations

import gc
import threading

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from stridewell.knowledge.care import load_care
from stridewell.knowledge.loader import load_knowledge
from stridewell.knowledge.questions import load_questionnaire
from stridewell.knowledge.vocabulary import vocabulary
from stridewell.plan.rules import load_plan_rules
from stridewell.running.rules import load_running_rules


def warm_then_freeze(app: FastAPI) -> int:
    """Load what every page needs, compile every template, then freeze what is alive.
    Returns how many objects were frozen."""
    load_knowledge()
    load_care()
    load_questionnaire()
    vocabulary()
    load_plan_rules()
    load_running_rules()
    templates = app.state.templates.env
    for name in templates.list_templates():
        templates.get_template(name)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


WARM_AFTER = 500  # requests: a few seconds of a busy evening, a few minutes of a quiet one


class FreezeWhenWarm:
    """ASGI middleware: after the process's first ``after`` HTTP requests, collect and
    freeze once more (one pause of a few tens of milliseconds, once in the process's
    life)."""

    def __init__(self, app: ASGIApp, after: int = WARM_AFTER) -> None:
        if after < 1:
            raise ValueError("freeze after one request or more")
        self.app = app
        self.after = after
        self._seen = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._seen <= self.after:
            with self._lock:
                self._seen += 1
                freeze_now = self._seen == self.after
            if freeze_now:
                gc.collect()
                gc.freeze()
        await self.app(scope, receive, send)
