"""The Dari client's methods for features of the hosted product that navis does not have
(workflows, connected accounts, phone numbers). They send what the Dari client sends, so a script
written for it gets the same answer from navis: NavisError 404 "No route …" (resume_workflow,
which sends no API key, 401). They exist so that such a script fails with a NavisError it can
catch, not an AttributeError."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ._http import Transport, body


class HostedOnlyMethods:
    _http: Transport

    def start_workflow(
        self,
        workflow_id: str,
        input_variables: Mapping[str, Any],
        *,
        timeout_minutes: Optional[int] = None,
        should_update_cache: Optional[bool] = None,
        allow_public_live_view: Optional[bool] = None,
        browser_profile_id: Optional[str] = None,
        use_proxy: Optional[bool] = None,
        proxy_city: Optional[str] = None,
        proxy_server: Optional[str] = None,
        proxy_server_username: Optional[str] = None,
        proxy_server_password: Optional[str] = None,
        user_agent: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Hosted product only: navis has no workflows (raises NavisError 404). Site manifests
        (run_site_action) are navis's named, repeatable flows."""
        payload = body(
            input_variables=dict(input_variables),
            timeout_minutes=timeout_minutes,
            should_update_cache=should_update_cache,
            allow_public_live_view=allow_public_live_view,
            browser_profile_id=browser_profile_id,
            use_proxy=use_proxy,
            proxy_city=proxy_city,
            proxy_server=proxy_server,
            proxy_server_username=proxy_server_username,
            proxy_server_password=proxy_server_password,
            user_agent=user_agent,
        )
        return self._http.request("POST", f"/public/workflows/start/{workflow_id}", json_body=payload)

    def list_workflow_executions(self, workflow_id: str) -> Dict[str, Any]:
        """Hosted product only: navis has no workflows (raises NavisError 404)."""
        return self._http.request("GET", f"/public/workflows/{workflow_id}")

    def get_execution_details(self, workflow_id: str, execution_id: str) -> Dict[str, Any]:
        """Hosted product only: navis has no workflows (raises NavisError 404)."""
        return self._http.request("GET", f"/public/workflows/{workflow_id}/executions/{execution_id}")

    def resume_workflow(self, resume_url: str, variables: Mapping[str, Any]) -> Dict[str, Any]:
        """Hosted product only: navis has no workflows. Sent without the API key, as the Dari
        client sends it (navis raises NavisError 401)."""
        return self._http.request("POST", resume_url, json_body={"variables": dict(variables)}, send_key=False)

    def list_connected_accounts(self) -> Any:
        """Hosted product only: navis has no connected accounts (raises NavisError 404)."""
        return self._http.request("GET", "/public/connected-accounts")

    def list_phone_numbers(self) -> Any:
        """Hosted product only: navis has no phone numbers (raises NavisError 404); a
        credential's totp_secret covers authenticator-app codes."""
        return self._http.request("GET", "/public/phone-numbers")

    def purchase_phone_number(self, *, label: str) -> Dict[str, Any]:
        """Hosted product only: navis has no phone numbers (raises NavisError 404)."""
        return self._http.request("POST", "/public/phone-numbers", json_body={"label": label})
