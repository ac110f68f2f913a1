"""An app process for the scale tests: submit one import job per runner, print the job ids.

Run as ``python enqueue_imports.py DATABASE_URL FILE_LIST RUNNER_ID...``; FILE_LIST holds
one path per line. It goes through the service, as the web app and the API do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from stridewell.service import Stridewell


def main(url: str, file_list: str, runners: list[str]) -> None:
    paths = [Path(line) for line in Path(file_list).read_text().splitlines() if line]
    with Stridewell(url) as service:
        for runner in runners:
            job_id = service.import_jobs(runner).submit([(p.name, p) for p in paths])
            print(f"{runner} {job_id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
