"""`stridewell serve`: one process, or several worker processes on one port.

With ``--workers N`` uvicorn's supervisor starts N processes that share the listening
socket and restarts any that dies. Each builds its app from the same settings, passed to
it in the environment (``STRIDEWELL_SERVE_SETTINGS``). Nothing that decides an answer
lives in a process: sign-in sessions, the sign-in and registration limits, import jobs
and the originals of imports are in the database, and the CSRF token is the visitor's own
cookie (nothing secret to share). So on PostgreSQL any process, on this machine or
another behind a proxy, can serve any request.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

SETTINGS_ENV = "STRIDEWELL_SERVE_SETTINGS"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class ServeSettings:
    """What `serve` was asked for: the same in every worker process."""

    host: str = "127.0.0.1"
    port: int = 8000
    multi_user: bool = False
    secure_cookies: bool = False
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    trusted_proxies: tuple[str, ...] = field(default_factory=tuple)

    @property
    def accounts(self) -> bool:
        """Sign-in is on when asked for, and always when listening beyond this machine."""
        return self.multi_user or self.host not in LOOPBACK

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, value: str) -> ServeSettings:
        raw = json.loads(value)
        return cls(
            host=str(raw["host"]),
            port=int(raw["port"]),
            multi_user=bool(raw["multi_user"]),
            secure_cookies=bool(raw["secure_cookies"]),
            allowed_hosts=tuple(str(h) for h in raw["allowed_hosts"]),
            trusted_proxies=tuple(str(p) for p in raw["trusted_proxies"]),
        )


def build_app(settings: ServeSettings) -> FastAPI:
    from stridewell.web.app import create_app
    from stridewell.web.security import SecurityConfig

    security = SecurityConfig.build(
        bound_host=settings.host,
        allowed_hosts=settings.allowed_hosts,
        trusted_proxies=settings.trusted_proxies,
    )
    from stridewell.web.warm import FreezeWhenWarm, warm_then_freeze

    app = create_app(
        multi_user=settings.accounts, secure_cookies=settings.secure_cookies, security=security
    )
    if settings.accounts:
        # A club's or clinic's server: short garbage-collector pauses in a long-running,
        # busy process (web.warm). The runner's own app starts as before, loading what a
        # page needs when the first page asks.
        warm_then_freeze(app)
        app.add_middleware(FreezeWhenWarm)
    return app


def app_from_env() -> FastAPI:
    """The app of one worker process (uvicorn's factory, by import string)."""
    return build_app(ServeSettings.from_env(os.environ[SETTINGS_ENV]))


def run_server(settings: ServeSettings, workers: int = 1) -> None:
    """Serve until stopped: in this process, or in ``workers`` supervised processes."""
    import uvicorn

    # proxy_headers off: uvicorn would otherwise believe X-Forwarded-For from loopback;
    # the app reads it only from --trusted-proxy addresses (web.security.client_address).
    common = {"host": settings.host, "port": settings.port, "proxy_headers": False}
    if workers <= 1:
        uvicorn.run(build_app(settings), log_level="info", **common)  # type: ignore[arg-type]
        return
    os.environ[SETTINGS_ENV] = settings.to_env()
    uvicorn.run(
        "stridewell.cli.serve:app_from_env",
        factory=True,
        workers=workers,
        log_level="info",
        **common,  # type: ignore[arg-type]
    )
