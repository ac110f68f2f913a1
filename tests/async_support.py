"""Running a coroutine from a test, whatever else the test's worker is doing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine_apart(make: Callable[[], Coroutine[Any, Any, T]], timeout: float = 60) -> T:
    """``asyncio.run`` in a thread of its own: a test worker that also drives the browser
    (Playwright's sync API) has an event loop running in the main thread, where
    ``asyncio.run`` refuses to start."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(make()))
        except BaseException as error:  # handed back to the test's own thread
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if errors:
        raise errors[0]
    if not results:
        raise TimeoutError(f"the coroutine did not finish within {timeout} s")
    return results[0]
