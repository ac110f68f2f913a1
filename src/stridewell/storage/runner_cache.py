"""Answers made from one runner's rows, kept by an app process until those rows change.

A page of a signed-in runner reads the same rows, and works out the same plan and
training load, as the page before it: the journal, the plan, the runs. Parsing and
building them again cost most of a page's time. Each runner has a data version
(``runners.data_version``) that database triggers move on at every change of their rows,
whichever process or machine makes it (migration 0012). An answer is kept under
(runner, version, what was asked); a page first reads the version (one small query,
once per request) and finds its answers under it. A write anywhere gives the runner a
new version, so the next page reads afresh; answers under old versions age out of the
cache unused.

Only web requests use the cache (they read inside ``shared_reads``): the CLI, jobs and
library calls read the database every time, as before.

The version is read before the rows in the same request, so an answer kept under a
version is at least as new as that version: a reader that saw the version before a
write may be given the newer answer, never an older one.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar, cast

T = TypeVar("T")

# Enough for the runners active on one app process in an evening: a runner's pages keep
# about 15 answers, some 450 KB in all (measured with the demo data and 79 runs), so
# 4,096 answers take up to about 130 MB. STRIDEWELL_RUNNER_CACHE sets another number;
# 0 turns keeping off.
DEFAULT_MAX_ENTRIES = 4096
SIZE_VARIABLE = "STRIDEWELL_RUNNER_CACHE"
_MISSING = object()


class RunnerCache:
    """A bounded, thread-safe map from (runner, data version, question) to an answer,
    least recently used out first. Answers are shared between requests: they must be
    frozen records, or copied by whoever hands them out."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 0:
            raise ValueError("the number of kept answers cannot be negative")
        self.max_entries = max_entries
        self._answers: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The answer kept under ``key``, else ``make()``'s, kept. ``make`` runs outside
        the lock: two threads asking at once may both make it (the same answer)."""
        if self.max_entries == 0:
            return make()
        with self._lock:
            found = self._answers.get(key, _MISSING)
            if found is not _MISSING:
                self._answers.move_to_end(key)
                self.hits += 1
                return cast(T, found)
            self.misses += 1
        answer = make()
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)
        return answer

    def __len__(self) -> int:
        return len(self._answers)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def cache_size(env: Mapping[str, str] | None = None) -> int:
    """How many answers an app process keeps, from ``STRIDEWELL_RUNNER_CACHE``."""
    text = (os.environ if env is None else env).get(SIZE_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_ENTRIES
    if not text.isdigit():
        raise ValueError(
            f"{SIZE_VARIABLE} must be a whole number of answers to keep (0 keeps none), "
            f"not {text!r}"
        )
    return int(text)
