"""Answers made from one runner's rows, kept by an app process until those rows change.

A page of a signed-in runner reads the same rows, and works out the same plan and
training load, as the page before it: the journal, the plan, the runs. Parsing and
building them again cost most of a page's time. Each runner has a data version
(table ``runner_versions``) that database triggers move on at every change of their rows,
whichever process or machine makes it (migration 0012). An answer is kept under
(runner, version, what was asked); a page first reads the version (one small query,
once per request) and finds its answers under it. A write anywhere gives the runner a
new version, so the next page reads afresh, and the runner's answers of the older
version are dropped as soon as one of the newer is kept.

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
from dataclasses import dataclass, field
from typing import TypeVar, cast

T = TypeVar("T")

# Enough for the runners active on one app process in an evening: a runner's pages keep
# about 15 answers, some 450 KB in all (measured with the demo data and 79 runs), so
# 4,096 answers take up to about 130 MB. STRIDEWELL_RUNNER_CACHE sets another number;
# 0 turns keeping off.
DEFAULT_MAX_ENTRIES = 4096
SIZE_VARIABLE = "STRIDEWELL_RUNNER_CACHE"
_MISSING = object()


@dataclass
class _Kept:
    """One runner's (or one runner's training data's) answers, all of one version."""

    version: int
    answers: dict[Hashable, object] = field(default_factory=dict)


class RunnerCache:
    """A bounded, thread-safe map from (owner, data version, question) to an answer. The
    owner is a runner (or a runner's training data); only the answers of the version last
    kept for an owner are held, so an owner's older answers go as soon as a newer one is
    kept (they could never be asked for again). Past ``max_entries`` answers, the owners
    least recently asked about are forgotten first. Answers are shared between requests:
    they must be frozen records, or copied by whoever hands them out.

    Why old versions go at once rather than aging out: a process serving a club keeps
    every kept object in memory and the garbage collector walks them all now and then.
    Answers of dead versions filled the cache to its bound within a minute of check-ins
    and made those walks take 130 to 200 ms (every request of the process waited),
    measured in the load test."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 0:
            raise ValueError("the number of kept answers cannot be negative")
        self.max_entries = max_entries
        self._owners: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._count = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_make(self, owner: Hashable, version: int, key: Hashable, make: Callable[[], T]) -> T:
        """The answer kept under ``key`` for ``owner`` at ``version``, else ``make()``'s,
        kept (replacing the owner's answers of another version). ``make`` runs outside the
        lock: two threads asking at once may both make it (the same answer). A request that
        read an older version than another (it began before a write) may replace the newer
        answers with older ones for a moment: the next request puts them back, and no
        request is ever given an answer older than the version it read."""
        if self.max_entries == 0:
            return make()
        with self._lock:
            kept = self._owners.get(owner)
            if kept is not None and kept.version == version:
                found = kept.answers.get(key, _MISSING)
                if found is not _MISSING:
                    self._owners.move_to_end(owner)
                    self.hits += 1
                    return cast(T, found)
            self.misses += 1
        answer = make()
        with self._lock:
            kept = self._owners.get(owner)
            if kept is None or kept.version != version:
                if kept is not None:
                    self._count -= len(kept.answers)
                kept = self._owners[owner] = _Kept(version)
            if key not in kept.answers:
                self._count += 1
            kept.answers[key] = answer
            self._owners.move_to_end(owner)
            self._make_room(kept)
        return answer

    def _make_room(self, kept: _Kept) -> None:
        """Past the bound, forget the owners least recently asked about; if the owner just
        asked about holds more answers than the bound alone, its oldest answers go."""
        while self._count > self.max_entries and len(self._owners) > 1:
            _, forgotten = self._owners.popitem(last=False)
            self._count -= len(forgotten.answers)
        while self._count > self.max_entries:
            del kept.answers[next(iter(kept.answers))]
            self._count -= 1

    def __len__(self) -> int:
        return self._count

    def clear(self) -> None:
        with self._lock:
            self._owners.clear()
            self._count = 0


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
