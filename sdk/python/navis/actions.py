"""Natural-language actions (Run Single Action), the step cache they fill and replay, and the
usage they count: /public/single-actions, /public/step-cache and /public/usage."""
from __future__ import annotations

from typing import Any, Dict, Iterable, Mapping, Optional

from ._http import Transport, body, quote


class ActionMethods:
    _http: Transport
    action_timeout: float

    def run_single_action(
        self,
        action: str,
        *,
        session_id: Optional[str] = None,
        id: Optional[str] = None,  # noqa: A002 - the API's own name
        variables: Optional[Mapping[str, Any]] = None,
        screen_config: Optional[Mapping[str, Any]] = None,
        set_cache: Optional[bool] = None,
        user_agent: Optional[str] = None,
        secret_variables: Optional[Iterable[str]] = None,
    ) -> Dict[str, Any]:
        """Run an instruction written as a person would ("Type {{title}} into Title, then click
        Save") on a session's page.

        Args:
            action: the instruction; `{{name}}` is filled from `variables`.
            session_id: the session to run in; without it a 10-minute session is created (of
                `screen_config`) and named in the answer's `session_id`.
            id: a step-cache id: the steps that worked are stored under it, and the next call
                with the same id and action replays them without planning (`used_cache`).
            variables: values for `{{name}}` in the action.
            screen_config: window size of the session created when `session_id` is left out.
            set_cache: store (or repair) the cached steps (default True).
            user_agent: user agent for this action only.
            secret_variables: names of variables that are secrets: never shown to a planner,
                cached, sent in a URL or answered (names like password or token are secret anyway).

        Returns:
            {"success", "result", "credits", "used_cache", "set_cache", "cache_failed",
            "session_id", "steps"}, with "error" when the action failed (success False) and
            "cache_detail" when a cached step did not replay.
        """
        payload = body(
            action=action,
            session_id=session_id,
            id=id,
            variables=dict(variables) if variables is not None else None,
            secret_variables=list(secret_variables) if secret_variables is not None else None,
            screen_config=dict(screen_config) if screen_config is not None else None,
            set_cache=set_cache,
            user_agent=user_agent,
        )
        return self._http.request(
            "POST", "/public/single-actions/run-action", json_body=payload, timeout=self.action_timeout
        )

    def list_step_cache(self, *, limit: Optional[int] = None, offset: Optional[int] = None) -> Dict[str, Any]:
        """Your step cache entries: {"entries": [{"id", "action", "step_count", "planner",
        "replays", "heals", "created_at", "updated_at", "last_used_at"}, ...], "total": n}."""
        return self._http.request("GET", "/public/step-cache", params={"limit": limit, "offset": offset})

    def get_step_cache_entry(self, cache_id: str) -> Dict[str, Any]:
        """One step cache entry with its `steps`: the typed task actions a replay runs, each with
        a `target` and `{{name}}` where a variable's value goes."""
        return self._http.request("GET", f"/public/step-cache/{quote(cache_id)}")

    def delete_step_cache_entry(self, cache_id: str) -> None:
        """Forget a step cache entry: the next run with its id plans again."""
        self._http.request("DELETE", f"/public/step-cache/{quote(cache_id)}")

    def get_usage(self, *, since: Optional[str] = None, limit: Optional[int] = None) -> Dict[str, Any]:
        """What your API key's tenant used.

        Args:
            since: an ISO 8601 time ("2026-01-01T00:00:00Z"); only what came after it.
            limit: how many recent calls to list (0..1000, default 50).

        Returns:
            {"total_credits", "actions", "cached_actions", "failed_actions", "recent": [{"at",
            "kind", "id", "session_id", "credits", "used_cache", "success"}, ...]}.
        """
        return self._http.request("GET", "/public/usage", params={"since": since, "limit": limit})
