"""The /browser family's twins of /public routes, as `client.browser`: the same sessions, profiles
and credentials, with camelCase fields, and what only this family has (a session's idle timeout,
a profile's `inUseBySession`, a credential's `allowedDomains` by that name). Tasks, files, PDF and
screenshots, which only /browser has, are methods of the client itself."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from ._http import Transport, body, quote


class BrowserFamily:
    """Sessions, profiles and credentials as /browser answers them (camelCase)."""

    def __init__(self, http: Transport) -> None:
        self._http = http

    def create_session(
        self,
        *,
        screen: Optional[Mapping[str, int]] = None,
        ttl_seconds: Optional[int] = None,
        timeout: Optional[int] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        profile_id: Optional[str] = None,
        persist_changes: Optional[bool] = None,
        cdp_url: Optional[str] = None,
        proxy: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """Create a session (POST /browser/sessions).

        Args:
            screen: window size, {"width", "height"} (default 1280x720).
            ttl_seconds: lifetime in seconds, at most 86400 (default 600).
            timeout: idle timeout in ms: a session with no request for this long ends
                (default 900000).
            metadata, profile_id, persist_changes, cdp_url, proxy: as for Client.create_session.

        Returns:
            {"id", "status", "cdpUrl", "liveViewUrl", "expiresAt", "createdAt", "updatedAt",
            "screen", "metadata", "profileId", "persistChanges", "ttlSeconds", "timeout",
            "endReason", "awaitingUser", "proxy"}.
        """
        payload = body(
            screen=dict(screen) if screen is not None else None,
            ttlSeconds=ttl_seconds,
            timeout=timeout,
            metadata=dict(metadata) if metadata is not None else None,
            profileId=profile_id,
            persistChanges=persist_changes,
            cdpUrl=cdp_url,
            proxy=dict(proxy) if proxy is not None else None,
        )
        return self._http.request("POST", "/browser/sessions", json_body=payload)

    def list_sessions(
        self, *, status: Optional[str] = None, limit: Optional[int] = None, offset: Optional[int] = None
    ) -> Dict[str, Any]:
        """Your sessions, newest first: {"sessions": [...], "total": n}; `status` is `active`,
        `terminated` or `expired`."""
        return self._http.request(
            "GET", "/browser/sessions", params={"status": status, "limit": limit, "offset": offset}
        )

    def get_session(self, session_id: str) -> Dict[str, Any]:
        """One session, as create_session answers it."""
        return self._http.request("GET", f"/browser/sessions/{quote(session_id)}")

    def delete_session(self, session_id: str) -> None:
        """End a session at once and delete its record."""
        self._http.request("DELETE", f"/browser/sessions/{quote(session_id)}")

    def create_profile(self, name: str) -> Dict[str, Any]:
        """Create a browser profile: {"id", "name", "createdAt", "updatedAt", "inUseBySession"}."""
        return self._http.request("POST", "/browser/profiles", json_body={"name": name})

    def list_profiles(self) -> Dict[str, Any]:
        """Your browser profiles: {"profiles": [...]}, each saying which session uses it."""
        return self._http.request("GET", "/browser/profiles")

    def get_profile(self, profile_id: str) -> Dict[str, Any]:
        """One browser profile."""
        return self._http.request("GET", f"/browser/profiles/{quote(profile_id)}")

    def delete_profile(self, profile_id: str) -> None:
        """Delete a browser profile (NavisError 409 while a session uses it)."""
        self._http.request("DELETE", f"/browser/profiles/{quote(profile_id)}")

    def create_credential(
        self,
        *,
        name: str,
        allowed_domains: Iterable[str],
        username: str,
        password: str,
        totp_secret: Optional[str] = None,
        allow_insecure: Optional[bool] = None,
    ) -> Dict[str, Any]:
        """Store a login in the vault (POST /browser/credentials).

        Args:
            name: a name for people.
            allowed_domains: hosts ("login.example.com") or wildcards ("*.example.com") it may
                be filled into.
            username, password: the login.
            totp_secret: base32 secret or otpauth://totp/ URI for one-time codes.
            allow_insecure: allow filling over plain http on hosts that are not loopback.

        Returns:
            {"id", "name", "allowedDomains", "hasTotp", "allowInsecure", "createdAt",
            "updatedAt"}; never the username, password or secret.
        """
        payload = body(
            name=name,
            allowedDomains=list(allowed_domains),
            username=username,
            password=password,
            totpSecret=totp_secret,
            allowInsecure=allow_insecure,
        )
        return self._http.request("POST", "/browser/credentials", json_body=payload)

    def list_credentials(self) -> Dict[str, Any]:
        """Your credentials: {"credentials": [...]} (get, change and delete one with the
        client's get_credential, update_credential and delete_credential)."""
        return self._http.request("GET", "/browser/credentials")
