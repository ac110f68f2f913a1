"""Decode functions for the pool tests; module level, so worker processes can load them."""

from __future__ import annotations

import time

from stridewell.activities.bulk import Decoded, Job, decode_job


def stuck_on(name: str):  # type: ignore[no-untyped-def]
    """A decoder that hangs, out of the alarm's reach, on the job called ``name``."""
    return _Stuck(name)


class _Stuck:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, job: Job) -> Decoded:
        if not isinstance(job, tuple) and job.name == self.name:
            while True:  # no time_limit here: only the parent's deadline can end this
                time.sleep(1)
        return decode_job(job)
