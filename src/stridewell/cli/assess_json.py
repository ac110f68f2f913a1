"""`stridewell assess --json FILE|-`: the contract's JSON in, the report as JSON out.

Kept free of Typer, Click and Rich: the console script's entry point runs this directly
when the arguments are exactly an `assess --json` call (see `cli.main.run`), so the most
scripted use of the CLI starts as fast as Python, pydantic and the triage allow.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from stridewell.errors import InvalidInput, exit_code_for, is_reportable

if TYPE_CHECKING:
    from stridewell.contract import Assessment, TriageReport
    from stridewell.service import Stridewell


def read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read {source}: {exc}", field="(file)") from exc


def assess_json(source: str, *, save: bool = True, service: Stridewell | None = None) -> None:
    """Print the triage report of the assessment in ``source`` (a path, or - for stdin).

    Storage problems do not cost the runner their report: it is printed, with a warning.
    """
    from stridewell.validation import parse_assessment_json

    assessment = parse_assessment_json(read_input(source))
    if not save and service is None:  # nothing to store: the engine alone, no service stack
        from stridewell.triage.engine import assess

        report = assess(assessment)
        sys.stdout.write(json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    if service is None and save:
        quick = _assess_quickly(assessment)
        if quick is not None:
            sys.stdout.write(json.dumps(quick.to_json_dict(), indent=2, ensure_ascii=False) + "\n")
            return
    if service is None:
        from stridewell.cli.services import open_stridewell

        service = open_stridewell()
    if save:
        try:
            report = service.assess(assessment).report
        except Exception as exc:
            if not is_reportable(exc) or exit_code_for(exc) == 2:
                raise
            report = service.triage(assessment)
            sys.stderr.write(f"warning: the assessment was not saved: {exc}\n")
    else:
        report = service.triage(assessment)
    sys.stdout.write(json.dumps(report.to_json_dict(), indent=2, ensure_ascii=False) + "\n")


def _assess_quickly(assessment: Assessment) -> TriageReport | None:
    """The report of an assessment stored by the standard library's sqlite3 into the
    local database, or None when the service stack must do it (see `quick_assess`)."""
    from stridewell.service.quick_assess import assess_locally

    try:
        result = assess_locally(assessment)
    except Exception as exc:
        if not is_reportable(exc):
            raise
        return None  # the service stack tries again, and reports what is wrong
    return None if result is None else result.report


def fast_path(argv: list[str]) -> int | None:
    """Run `assess --json SRC [--save|--no-save]` (any order after `assess`) without Typer;
    the exit code, or None when the arguments are anything else (Typer takes them)."""
    if len(argv) < 3 or argv[0] != "assess":
        return None
    rest, source, save = argv[1:], None, True
    while rest:
        head = rest.pop(0)
        if head == "--json" and rest and source is None:
            source = rest.pop(0)
        elif head.startswith("--json=") and source is None:
            source = head.removeprefix("--json=")
        elif head in ("--save", "--no-save"):
            save = head == "--save"
        else:
            return None
    if source is None:
        return None
    try:
        assess_json(source, save=save)
    except Exception as exc:
        if not is_reportable(exc):
            raise
        sys.stderr.write(f"error: {exc}\n")
        return exit_code_for(exc)
    return 0
