"""Screenshots of every page of the web app at phone (390 px) and desktop (1280 px) width,
for a person to look at.

    .venv/bin/python scripts/screenshots.py [FOLDER]      (default /tmp/stridewell-screens)

The app runs in this process (uvicorn in a thread) on two temporary SQLite files, seeded
through the service layer as the browser tests seed them: one person with heel pain, a
recovery plan, a possible stress fracture, an emergency, shoes and runs; and a club with
accounts and a coach. Chromium is Debian's /usr/bin/chromium, driven by Playwright. The
pages and their order are the browser tests' own (tests/browser/browser_support.py), so
what is shot is what the accessibility test checks. Prints the files written.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "browser")]

from browser_support import (  # noqa: E402  (the tests' folders are on the path only now)
    CHROMIUM,
    SIZES,
    club_pages,
    database_url,
    free_port,
    launch_chromium,
    one_person_pages,
    seed_club,
    seed_single,
)

DEFAULT_FOLDER = Path("/tmp/stridewell-screens")
SHOT_NAME = re.compile(r"\d{2}-[a-z0-9-]+-(phone|desktop)\.png")


@contextmanager
def app_server(data_dir: Path, *, multi_user: bool) -> Iterator[str]:
    """The app on the data folder's database, served from a thread; yields its address."""
    import uvicorn

    from stridewell.service import Stridewell
    from stridewell.web.app import create_app

    service = Stridewell(database_url(data_dir))
    port = free_port()
    config = uvicorn.Config(
        create_app(service, multi_user=multi_user),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        service.close()


def file_name(number: int, name: str, size: str) -> str:
    """'03-report-heel-pain-phone.png': the order of the walk, the page, the size."""
    words = re.sub(r"\s*\(http[^)]*\)", "", name)  # the address is not part of the name
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    return f"{number:02d}-{slug}-{size}.png"


def shoot(page: Any, folder: Path, number: int, name: str) -> list[Path]:
    """The whole page at each width (the page keeps its state between the two)."""
    written = []
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        path = folder / file_name(number, name, size)
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    folder: Path = parser.parse_args(argv).folder
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):  # an earlier run's shots: only files named as ours
        if SHOT_NAME.fullmatch(old.name):
            old.unlink()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="stridewell-screens-") as temp:
        one, club = Path(temp) / "one", Path(temp) / "club"
        one.mkdir()
        club.mkdir()
        seeded_one, seeded_club = seed_single(one), seed_club(club)
        browsers = launch_chromium()
        browser = next(browsers)
        try:
            with app_server(one, multi_user=False) as base:
                seeded_one.base = base
                context = browser.new_context()
                page = context.new_page()
                for name in one_person_pages(page, seeded_one):
                    written += shoot(page, folder, len(written) // 2 + 1, name)
                context.close()
            with app_server(club, multi_user=True) as base:
                seeded_club.base = base
                for name, tab in club_pages(browser, seeded_club):
                    written += shoot(tab, folder, len(written) // 2 + 1, name)
        finally:
            next(browsers, None)  # closes Chromium
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
