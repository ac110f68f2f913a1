"""Report page weight and time to first render, in Debian's Chromium against a real server.

    .venv/bin/python benchmarks/web.py [--runs 7]

Targets (issue 5): under 200 KB transferred for the report page with everything it loads,
no third-party hosts. Prints bytes per resource, the hosts seen, and the median time to
first contentful paint and to DOMContentLoaded over fresh page loads (cache disabled).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CASE = {
    "locations": ["heel_bottom"],
    "pain_timing": ["first_steps_morning"],
    "pain_quality": ["stabbing"],
    "onset": "gradual",
    "duration_days": 21,
    "pain_score": 5,
}


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from stridewell.service import Stridewell

    with tempfile.TemporaryDirectory() as data_dir:
        with Stridewell(f"sqlite:///{data_dir}/stridewell.db") as service:
            service.upgrade_database()
            assessment_id = service.assess(CASE).id
        port = _port()
        env = {**os.environ, "STRIDEWELL_DATA_DIR": data_dir}
        exe = str(Path(sys.executable).with_name("stridewell"))
        server = subprocess.Popen([exe, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/api/v1/health", timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            url = f"{base}/assessments/{assessment_id}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
                sizes: dict[str, int] = {}
                paints, ready = [], []
                for run in range(args.runs):
                    context = browser.new_context()
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    if run == 0:
                        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
                    page.goto(url, wait_until="load")
                    timing = page.evaluate(
                        "() => ({fcp: (performance.getEntriesByName('first-contentful-paint')[0]"
                        " || {}).startTime, dcl: performance.getEntriesByType('navigation')[0]"
                        ".domContentLoadedEventEnd})"
                    )
                    if timing["fcp"] is not None:
                        paints.append(timing["fcp"])
                    ready.append(timing["dcl"])
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    hosts = {urlsplit(u).netloc for u in sizes}
    print(f"report page: {url.rsplit('/', 2)[0]}/...")
    for resource, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {size:8,d} B  {urlsplit(resource).path}")
    total = sum(sizes.values())
    print(f"total {total:,d} B ({total / 1024:.1f} KB, uncompressed)   target < 200 KB")
    print(
        f"hosts: {', '.join(sorted(hosts))}   (third-party: {len(hosts - {urlsplit(base).netloc})})"
    )
    if paints:
        print(
            f"first contentful paint, median of {len(paints)}: {statistics.median(paints):.0f} ms"
        )
    print(f"DOMContentLoaded, median of {len(ready)}: {statistics.median(ready):.0f} ms")


if __name__ == "__main__":
    main()
