"""The one place CLI commands get Stridewell from: the configured database, and the local
runner's services (the CLI is always the one person of a local install).

The service stack is imported on first use, so `stridewell --help` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stridewell.service import RunnerServices, Stridewell


def open_stridewell() -> Stridewell:
    """Stridewell on the configured database (``STRIDEWELL_DATABASE_URL`` or the default)."""
    from stridewell.service import Stridewell

    return Stridewell()


def local_runner() -> RunnerServices:
    """The local runner's services, by area."""
    return open_stridewell().local()
