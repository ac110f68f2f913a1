"""The multi-user app of whichever Stridewell is first on the path, for uvicorn's
``--factory --workers N``: an earlier commit has no ``serve --workers`` of its own.
Like ``serve --multi-user --trusted-proxy 127.0.0.1``: Locust's users each send their own
X-Forwarded-For, so the sign-in limits count them as the different people they are."""

from __future__ import annotations

from typing import Any


def app() -> Any:
    from stridewell.web.app import create_app
    from stridewell.web.security import SecurityConfig

    return create_app(
        multi_user=True,
        security=SecurityConfig.build(bound_host="127.0.0.1", trusted_proxies=["127.0.0.1"]),
    )
