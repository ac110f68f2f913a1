"""What keeps a page cheap around its data: routes found early, style sheets from memory
without a session lookup, and the read transaction ended by the thread that made the
page (issue 15)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.staticfiles import StaticFiles

from async_support import run_coroutine_apart
from stridewell.service import Stridewell
from stridewell.web import pages
from stridewell.web.app import WEB_DIR, create_app
from stridewell.web.static_files import PreloadedStaticFiles

STATIC = WEB_DIR / "static"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Stridewell]:
    sw = Stridewell(f"sqlite:///{(tmp_path / 'cost.db').as_posix()}")
    sw.upgrade_database()
    yield sw
    sw.close()


def _answers(app: StaticFiles, requests: list[tuple[str, str, dict[str, str]]]) -> list[object]:
    async def ask() -> list[object]:
        transport = httpx.ASGITransport(app=app)
        seen: list[object] = []
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for method, path, headers in requests:
                try:
                    answer = await client.request(method, path, headers=headers)
                except Exception as exc:  # StaticFiles raises its 404 and 405 to the app
                    seen.append(repr(exc))
                    continue
                seen.append((answer.status_code, dict(answer.headers), answer.content))
        return seen

    return run_coroutine_apart(ask)


def test_static_files_from_memory_answer_exactly_as_starlette_does() -> None:
    files = sorted(p.relative_to(STATIC).as_posix() for p in STATIC.rglob("*") if p.is_file())
    first = _answers(StaticFiles(directory=str(STATIC)), [("GET", "/app.css", {})])[0]
    assert isinstance(first, tuple)
    tag = first[1]["etag"]
    requests: list[tuple[str, str, dict[str, str]]] = [("GET", f"/{name}", {}) for name in files]
    requests += [
        ("HEAD", "/app.css", {}),
        ("GET", "/app.css", {"if-none-match": tag}),
        ("GET", "/app.css", {"if-modified-since": first[1]["last-modified"]}),
        ("GET", "/app.css", {"range": "bytes=0-9"}),
        ("POST", "/app.css", {}),
        ("GET", "/no-such.css", {}),
        ("GET", "/../app.py", {}),
    ]
    ours = _answers(PreloadedStaticFiles(STATIC), requests)
    theirs = _answers(StaticFiles(directory=str(STATIC)), requests)
    assert ours == theirs
    assert [a[0] for a in ours[len(files) : len(files) + 4] if isinstance(a, tuple)] == [
        200,
        304,
        304,
        206,
    ]


def test_a_static_file_edited_on_disk_is_served_as_it_is_now(tmp_path: Path) -> None:
    sheet = tmp_path / "app.css"
    sheet.write_text("body { color: red; }")
    app = PreloadedStaticFiles(tmp_path)
    before = _answers(app, [("GET", "/app.css", {})])[0]
    sheet.write_text("body { color: darkblue; }")
    os.utime(sheet, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    after = _answers(app, [("GET", "/app.css", {})])[0]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert before[2] == b"body { color: red; }"
    assert after[2] == b"body { color: darkblue; }"
    assert after[1]["etag"] != before[1]["etag"]
    sheet.unlink()
    assert "404" in str(_answers(app, [("GET", "/app.css", {})])[0])


def test_style_sheets_load_without_looking_up_the_session(service: Stridewell) -> None:
    """A page's assets do not depend on who asks: no session query for them (each page
    loads two or three), so they load even while sessions cannot be read."""
    client = TestClient(create_app(service, multi_user=True), follow_redirects=False)
    client.cookies.set("sw_session", "a-session-token-the-database-cannot-check")

    def unreadable(token: str) -> None:
        raise AssertionError("the session was looked up")

    service.accounts.signed_in = unreadable  # type: ignore[method-assign]
    sheet = client.get("/static/app.css")
    assert sheet.status_code == 200 and b"body" in sheet.content
    assert sheet.headers["x-content-type-options"] == "nosniff"  # still our headers
    with pytest.raises(AssertionError, match="the session was looked up"):
        client.get("/today")


def test_no_page_path_can_match_an_api_path_and_pages_are_tried_first(
    service: Stridewell,
) -> None:
    """FastAPI tries routes in order; the pages come first, which is safe only while no
    URL matches both a page and an API route."""
    app = create_app(service, multi_user=True)
    found: list[tuple[int, str, re.Pattern[str]]] = []
    for index, route in enumerate(app.router.routes):
        contexts = getattr(route, "effective_route_contexts", None)
        for entry in contexts() if callable(contexts) else []:
            found.append((index, entry.path, entry.path_regex))
    for _, path, _ in found:
        url = re.sub(r"\{[^}]+\}", "x1", path)
        routers = {index for index, _, regex in found if regex.match(url)}
        assert len(routers) == 1, f"{url} matches routes of {len(routers)} routers"
    first_api = min(index for index, path, _ in found if path.startswith("/api/"))
    today = next(index for index, path, _ in found if path == "/today")
    last_page = max(index for index, path, _ in found if not path.startswith("/api/"))
    assert today < last_page < first_api


class _Reads:
    def __init__(self) -> None:
        self.opened = True

    def close(self) -> None:
        self.opened = False


def _request_with(reads: _Reads, app: object) -> object:
    return SimpleNamespace(
        app=app,
        state=SimpleNamespace(shared_reads=reads, account=None, runner_id="local"),
        url=SimpleNamespace(path="/"),
    )


def test_a_page_made_in_the_thread_pool_ends_its_read_transaction_itself(
    service: Stridewell,
) -> None:
    app = create_app(service)
    reads = _Reads()
    # In a thread of its own, as in the page thread pool (this test's own thread may have
    # the browser tests' event loop running in it).
    pool_thread = threading.Thread(
        target=lambda: pages._give_back_connection(_request_with(reads, app))  # type: ignore[arg-type]
    )
    pool_thread.start()
    pool_thread.join(60)
    assert not reads.opened  # a page route: no extra hop to close it later

    on_the_loop = _Reads()

    async def error_page() -> None:
        pages._give_back_connection(_request_with(on_the_loop, app))  # type: ignore[arg-type]

    run_coroutine_apart(error_page)
    assert on_the_loop.opened  # left to the middleware, which closes it off the loop
