"""Site manifests (/api/sites): store a site's states, actions and views, run an action by name,
read a view, and discover a site by crawling it (its progress streamed as NDJSON)."""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, Mapping, Optional

from ._http import Transport, body, quote
from .errors import NavisError

ProgressHandler = Callable[[Dict[str, Any]], None]


class SiteMethods:
    _http: Transport
    action_timeout: float

    def list_sites(self) -> Dict[str, Any]:
        """Your site manifests, counted: {"sites": [{"slug", "name", "baseUrl", "states",
        "actions", "views", "createdAt", "updatedAt"}, ...]}."""
        return self._http.request("GET", "/api/sites")

    def get_site_manifest(self, slug: str) -> Dict[str, Any]:
        """A site's manifest, as put_site_manifest stored it."""
        return self._http.request("GET", f"/api/sites/{quote(slug)}/manifest")

    def put_site_manifest(self, slug: str, manifest: Mapping[str, Any]) -> Dict[str, Any]:
        """Create or replace a site's manifest.

        Args:
            slug: lower-case letters and digits joined by hyphens ("example-shop").
            manifest: {"name", "baseUrl", "states": [{"name", "url", "actions": [{"name",
                "inputs", "steps"}], "views": [...]}]}; steps are typed task actions whose
                strings may hold `{{input}}`.

        Returns:
            The stored manifest. An invalid one raises NavisError 400 naming the fields
            ("Invalid manifest: states[0].url: ...").
        """
        return self._http.request("PUT", f"/api/sites/{quote(slug)}/manifest", json_body=dict(manifest))

    def delete_site(self, slug: str) -> None:
        """Delete a site's manifest."""
        self._http.request("DELETE", f"/api/sites/{quote(slug)}")

    def get_site_openapi(self, slug: str) -> Dict[str, Any]:
        """The site's OpenAPI 3 document: one POST per action, one GET per view."""
        return self._http.request("GET", f"/api/sites/{quote(slug)}/openapi.json")

    def get_site_docs(self, slug: str) -> str:
        """The site's documentation page (HTML), with a form per action."""
        return self._http.request("GET", f"/api/sites/{quote(slug)}/docs", headers={"Accept": "text/html"})

    def run_site_action(
        self,
        slug: str,
        state: str,
        action: str,
        inputs: Optional[Mapping[str, Any]] = None,
        *,
        session_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Run a manifest action: open its state's URL, wait for the page to settle, run its steps.

        Args:
            slug, state, action: which action.
            inputs: the action's inputs as a flat mapping ({"email": ..., "quantity": 2}).
            session_id: run in a new tab of this session (its cookies and logins); default a
                fresh browser context.

        Returns:
            {"ok": True, "state", "steps": [{"index", "type", "status", "detail", "durationMs",
            "result"?}, ...]}. A failing step raises NavisError 500 naming it.
        """
        return self._http.request(
            "POST",
            f"/api/sites/{quote(slug)}/actions/{quote(state)}/{quote(action)}",
            params={"session_id": session_id},
            json_body=dict(inputs or {}),
            timeout=self.action_timeout,
        )

    def read_site_view(
        self,
        slug: str,
        state: str,
        view: str,
        params: Optional[Mapping[str, Any]] = None,
        *,
        session_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Read a manifest view: open its state's URL (`params` fill its `{{templates}}`) and read
        the view's fields.

        Returns:
            {"ok": True, "state", "view", "items": [{field: value}, ...]} for a list view,
            {..., "record": {field: value}} for a record view.
        """
        query = dict(params or {})
        if session_id is not None:
            query["session_id"] = session_id
        return self._http.request(
            "GET",
            f"/api/sites/{quote(slug)}/views/{quote(state)}/{quote(view)}",
            params=query,
            timeout=self.action_timeout,
        )

    def discover_site(
        self,
        url: str,
        *,
        max_pages: Optional[int] = None,
        max_depth: Optional[int] = None,
        slug: Optional[str] = None,
        verify: Optional[bool] = None,
        on_progress: Optional[ProgressHandler] = None,
    ) -> Dict[str, Any]:
        """Crawl a site from `url` and store the manifest it yields.

        Args:
            url: the page to start from (same-origin pages are crawled).
            max_pages: pages to visit at most (default 20); max_depth: links followed at most
                (default 3).
            slug: the manifest's slug (default from the host).
            verify: try each non-destructive action once (default True).
            on_progress: called with each progress event ({"phase", "message", "pagesVisited",
                "pagesQueued"}) as it happens.

        Returns:
            {"slug", "created", "manifest", "report", "progress": [events]}.
        """
        options = dict(max_pages=max_pages, max_depth=max_depth, slug=slug, verify=verify)
        if on_progress is None:
            return self._http.request(
                "POST", "/api/sites/discover", json_body=_discover_body(url, **options), timeout=self.action_timeout
            )
        progress = []
        result = None
        for event in self.discover_site_events(url, **options):
            fields = {key: value for key, value in event.items() if key != "type"}
            if event.get("type") == "progress":
                progress.append(fields)
                on_progress(fields)
            elif event.get("type") == "result":
                result = fields
        if result is None:
            raise NavisError("navis ended the discovery stream without a result")
        return {**result, "progress": progress}

    def discover_site_events(
        self,
        url: str,
        *,
        max_pages: Optional[int] = None,
        max_depth: Optional[int] = None,
        slug: Optional[str] = None,
        verify: Optional[bool] = None,
    ) -> Iterator[Dict[str, Any]]:
        """Crawl a site as discover_site does, yielding each event as navis streams it (NDJSON):
        {"type": "progress", "phase", "message", "pagesVisited", "pagesQueued"}, ..., then
        {"type": "result", "slug", "created", "manifest", "report"}.

        A discovery that fails once started raises NavisError with the stream's `code`
        (status_code None: the stream itself had begun with 200).
        """
        lines = self._http.stream_lines(
            "POST",
            "/api/sites/discover",
            json_body=_discover_body(url, max_pages=max_pages, max_depth=max_depth, slug=slug, verify=verify),
            headers={"Accept": "application/x-ndjson"},
            timeout=self.action_timeout,
        )
        for event in lines:
            if event.get("type") == "error":
                raise NavisError(event.get("error") or "Discovery failed", code=event.get("code"), body=event)
            yield event


def _discover_body(url: str, **options: Any) -> Dict[str, Any]:
    return body(
        url=url,
        maxPages=options["max_pages"],
        maxDepth=options["max_depth"],
        slug=options["slug"],
        verify=options["verify"],
    )
