"""Python client for navis (standard library only).

Method names and arguments follow the hosted API that navis's /public routes implement, so a
script written for it runs unchanged except for the import line:

    from navis import Dari          # or: from navis import Navis
    client = Dari(api_key="...")    # server: base_url=..., or NAVIS_URL, default http://127.0.0.1:8787
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional

__all__ = ["Navis", "Dari", "NavisError"]

DEFAULT_BASE_URL = "http://127.0.0.1:8787"


class NavisError(Exception):
    """An error answer from navis: `status` is the HTTP status, `detail` the server's message."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


class Navis:
    def __init__(self, api_key: str, base_url: Optional[str] = None, timeout: float = 300.0):
        self.api_key = api_key
        self.base_url = (base_url or os.environ.get("NAVIS_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout

    # -- sessions -----------------------------------------------------------------------------
    def create_session(
        self,
        screen_config: Optional[Dict[str, int]] = None,
        ttl: Optional[int] = None,
        metadata: Optional[Dict[str, Any]] = None,
        profile_id: Optional[str] = None,
        persist_changes: Optional[bool] = None,
        cdp_url: Optional[str] = None,
    ) -> Dict[str, Any]:
        body = _without_none(
            screen_config=screen_config,
            ttl=ttl,
            metadata=metadata,
            profile_id=profile_id,
            persist_changes=persist_changes,
            cdp_url=cdp_url,
        )
        return self._request("POST", "/public/sessions", body)

    def get_session(self, session_id: str) -> Dict[str, Any]:
        return self._request("GET", f"/public/sessions/{_quote(session_id)}")

    def list_sessions(self, status_filter: Optional[str] = None, limit: int = 100, offset: int = 0) -> Dict[str, Any]:
        query = urllib.parse.urlencode(_without_none(status_filter=status_filter, limit=limit, offset=offset))
        return self._request("GET", f"/public/sessions?{query}")

    def update_session(self, session_id: str, metadata: Optional[Dict[str, Any]] = None, ttl: Optional[int] = None) -> Dict[str, Any]:
        return self._request("PATCH", f"/public/sessions/{_quote(session_id)}", _without_none(metadata=metadata, ttl=ttl))

    def terminate_session(self, session_id: str) -> None:
        self._request("POST", f"/public/sessions/{_quote(session_id)}/terminate")

    def delete_session(self, session_id: str) -> None:
        self._request("DELETE", f"/public/sessions/{_quote(session_id)}")

    # -- browser profiles ---------------------------------------------------------------------
    def create_browser_profile(self, name: str) -> Dict[str, Any]:
        return self._request("POST", "/public/browser-profiles", {"name": name})

    def list_browser_profiles(self) -> Dict[str, Any]:
        return self._request("GET", "/public/browser-profiles")

    def get_browser_profile(self, profile_id: str) -> Dict[str, Any]:
        return self._request("GET", f"/public/browser-profiles/{_quote(profile_id)}")

    def delete_browser_profile(self, profile_id: str) -> None:
        self._request("DELETE", f"/public/browser-profiles/{_quote(profile_id)}")

    # -- single actions -----------------------------------------------------------------------
    def run_single_action(
        self,
        action: str,
        session_id: Optional[str] = None,
        id: Optional[str] = None,  # noqa: A002 - the API's own name
        variables: Optional[Dict[str, Any]] = None,
        set_cache: Optional[bool] = None,
        user_agent: Optional[str] = None,
        screen_config: Optional[Dict[str, int]] = None,
    ) -> Dict[str, Any]:
        body = _without_none(
            action=action,
            session_id=session_id,
            id=id,
            variables=variables,
            set_cache=set_cache,
            user_agent=user_agent,
            screen_config=screen_config,
        )
        return self._request("POST", "/public/single-actions/run-action", body)

    # -- transport ----------------------------------------------------------------------------
    def _request(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        headers = {"X-API-Key": self.api_key, "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                payload = json.loads(raw)
                detail = payload.get("detail") or payload.get("error") or raw.decode("utf-8", "replace")
            except (ValueError, AttributeError):
                detail = raw.decode("utf-8", "replace")
            raise NavisError(error.code, str(detail)) from None
        return json.loads(raw) if raw else None


Dari = Navis


def _without_none(**fields: Any) -> Dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")
