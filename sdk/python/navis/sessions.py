"""Sessions and browser profiles, as /public/sessions and /public/browser-profiles answer them
(snake_case). Method names and arguments are the Dari client's; navis's extra fields are extra
keyword arguments."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ._http import Transport, body, quote


class SessionMethods:
    _http: Transport

    def create_session(
        self,
        *,
        cdp_url: Optional[str] = None,
        screen_config: Optional[Mapping[str, Any]] = None,
        ttl: Optional[int] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        profile_id: Optional[str] = None,
        persist_changes: Optional[bool] = None,
        proxy: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """Create a browser session: one Chromium of its own.

        Args:
            cdp_url: bring your own browser: its DevTools WebSocket (or http://host:port) URL.
            screen_config: window size, {"width": 1440, "height": 900} (default 1280x720).
            ttl: lifetime in seconds, at most 86400 (default 600).
            metadata: your own fields; the answer's metadata adds `live_url`.
            profile_id: a browser profile whose cookies, logins and storage the session starts with.
            persist_changes: save the session's changes back to the profile (default True).
            proxy: outbound proxy, {"server": "http://host:port", "username": ..., "password": ...}.

        Returns:
            The session: session_id, cdp_url, screen_config, status, expires_at, metadata (with
            live_url), profile_id, persist_changes, created_at, updated_at, ttl, end_reason,
            awaiting_user, proxy.
        """
        payload = body(
            cdp_url=cdp_url,
            screen_config=_dict(screen_config),
            ttl=ttl,
            metadata=_dict(metadata),
            profile_id=profile_id,
            persist_changes=persist_changes,
            proxy=_dict(proxy),
        )
        return self._http.request("POST", "/public/sessions", json_body=payload)

    def get_session(self, session_id: str) -> Dict[str, Any]:
        """One session of yours, ended ones included (status `active`, `terminated` or `expired`,
        and `end_reason` saying why it ended)."""
        return self._http.request("GET", f"/public/sessions/{quote(session_id)}")

    def list_sessions(
        self,
        *,
        status_filter: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Your sessions, newest first.

        Args:
            status_filter: `active`, `terminated` or `expired`; all when left out.
            limit: at most this many (1..1000, default 100).
            offset: skip this many.

        Returns:
            {"sessions": [...], "total": n}, total counting every match.
        """
        params = {"status_filter": status_filter, "limit": limit, "offset": offset}
        return self._http.request("GET", "/public/sessions", params=params)

    def update_session(
        self,
        session_id: str,
        *,
        ttl: Optional[int] = None,
        metadata: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """Change a session's metadata or shorten its TTL.

        Args:
            session_id: the session.
            ttl: a shorter lifetime in seconds, counted from its creation (sessions cannot be
                extended: a longer one raises NavisError 400).
            metadata: merged in: the keys sent replace those keys, the others stay.

        Returns:
            The updated session.
        """
        payload = body(ttl=ttl, metadata=_dict(metadata))
        return self._http.request("PATCH", f"/public/sessions/{quote(session_id)}", json_body=payload)

    def terminate_session(self, session_id: str) -> None:
        """End a session: its profile is saved, its browser closed, its files deleted. The record
        stays (status `terminated`); a second terminate raises NavisError 400."""
        self._http.request("POST", f"/public/sessions/{quote(session_id)}/terminate")

    def delete_session(self, session_id: str) -> None:
        """End a session at once if it still runs, and delete its record (get_session then
        raises NavisError 404)."""
        self._http.request("DELETE", f"/public/sessions/{quote(session_id)}")


class ProfileMethods:
    _http: Transport

    def create_browser_profile(self, name: str, *, provider: Optional[str] = None) -> Dict[str, Any]:
        """Create a browser profile: a Chromium user-data directory (cookies, logins, storage)
        that sessions created with its `profile_id` start from.

        Args:
            name: a name for people.
            provider: the hosted product's browser provider; accepted and ignored by navis.

        Returns:
            {"id", "name", "created_at"}.
        """
        return self._http.request("POST", "/public/browser-profiles", json_body=body(name=name, provider=provider))

    def list_browser_profiles(self) -> Dict[str, Any]:
        """Your browser profiles: {"profiles": [{"id", "name", "created_at"}, ...]}."""
        return self._http.request("GET", "/public/browser-profiles")

    def get_browser_profile(self, profile_id: str) -> Dict[str, Any]:
        """One browser profile: {"id", "name", "created_at"}."""
        return self._http.request("GET", f"/public/browser-profiles/{quote(profile_id)}")

    def delete_browser_profile(self, profile_id: str) -> None:
        """Delete a browser profile and its stored browser state (NavisError 409 while a session
        uses it)."""
        self._http.request("DELETE", f"/public/browser-profiles/{quote(profile_id)}")


def _dict(value: Optional[Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    return dict(value) if value is not None else None
