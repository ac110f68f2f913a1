"""How CLI commands report errors: one line on stderr, the mapped exit code."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from stridewell.errors import exit_code_for, is_reportable

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    """Turn domain errors into one line on stderr and the mapped exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if not is_reportable(exc):
                raise
            sys.stderr.write(f"error: {exc}\n")
            raise typer.Exit(exit_code_for(exc)) from None

    return wrapper  # type: ignore[return-value]
