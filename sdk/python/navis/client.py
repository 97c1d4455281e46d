"""`Client`: one navis server and one API key. Its methods are the Dari client's where the hosted
API has the route (same names, arguments and answers, so a script written for it runs with
`from navis import Client as Dari`), and navis's own for the rest; `client.browser` holds the
camelCase twins of the /public routes.

Every method sends one request and answers navis's JSON as it is (None for 204; bytes for PDFs,
screenshots and downloads). Every error answer raises NavisError (DariError), with `status_code`
and `detail`.
"""
from __future__ import annotations

import os
from typing import Any, Mapping, Optional

from ._http import DEFAULT_BASE_URL, Transport
from .actions import ActionMethods
from .browser import BrowserFamily
from .credentials import CredentialMethods
from .hosted import HostedOnlyMethods
from .sessions import ProfileMethods, SessionMethods
from .sites import SiteMethods
from .tasks import FileMethods, TaskMethods

DEFAULT_TIMEOUT = 30.0
# Longer than NAVIS_MAX_TASK_MS's default (600 s), so that navis's own 408 comes first.
DEFAULT_ACTION_TIMEOUT = 660.0


class Client(
    SessionMethods,
    ProfileMethods,
    ActionMethods,
    CredentialMethods,
    TaskMethods,
    FileMethods,
    SiteMethods,
    HostedOnlyMethods,
):
    """A client of one navis server.

    Args:
        api_key: your navis API key (sent as X-API-Key); default the NAVIS_API_KEY environment
            variable.
        base_url: where navis listens; default the NAVIS_URL environment variable, else
            http://127.0.0.1:8787.
        timeout: seconds to wait for an answer (default 30).
        action_timeout: seconds to wait for calls that drive a browser: actions, tasks, PDFs,
            screenshots, files, site actions and views, discovery (default 660).
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        action_timeout: float = DEFAULT_ACTION_TIMEOUT,
    ) -> None:
        api_key = api_key or os.environ.get("NAVIS_API_KEY")
        if not api_key:
            raise ValueError("api_key must be provided (or set the NAVIS_API_KEY environment variable)")
        self.api_key = api_key
        self.base_url = (base_url or os.environ.get("NAVIS_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.action_timeout = action_timeout
        self._http = Transport(api_key, self.base_url, timeout)
        self.browser = BrowserFamily(self._http)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,  # noqa: A002 - as requests names it
        params: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Any navis route, for what has no method yet: `client.request("GET", "/admin/tenants")`.
        Answers and errors as every method's."""
        return self._http.request(method, path, json_body=json, params=params, timeout=timeout)

    def close(self) -> None:
        """Nothing to release (each request has its own connection); here for the Dari client's
        scripts, which may call it or use the client in a `with` block."""

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Client(base_url={self.base_url!r})"


Dari = Client
Navis = Client
