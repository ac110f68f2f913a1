"""The console script's entry point: `assess --json` straight through, the rest to Typer.

Importing Typer (and Click under it) costs about a fifth of the CLI's start-up, and the
scripted `stridewell assess --json` call needs neither: see `cli.assess_json.fast_path`.
"""

from __future__ import annotations

import sys


def run() -> None:
    from stridewell.cli.assess_json import fast_path

    code = fast_path(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from stridewell.cli.main import app

    app()
