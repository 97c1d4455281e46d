"""The credential vault: create and list as the Dari client does (/public/credentials,
snake_case), and read, change and delete one credential through /browser/credentials/{id}
(camelCase answers). No answer ever holds a username, password or TOTP secret."""
from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from ._http import Transport, body, quote


class CredentialMethods:
    _http: Transport

    def create_credential(
        self,
        service_name: str,
        *,
        username_or_email: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        gmail_oauth_account_id: Optional[str] = None,
        phone_number_id: Optional[str] = None,
        allowed_domains: Optional[Iterable[str]] = None,
        allow_insecure: Optional[bool] = None,
    ) -> Dict[str, Any]:
        """Store a login in the vault, for the `authenticate` task action (by its id).

        Args:
            service_name: the credential's name; a host ("accounts.google.com", "127.0.0.1")
                also binds it to that host. Any other name needs `allowed_domains`.
            username_or_email: the username (required by navis).
            password: the password (required by navis).
            totp_secret: base32 secret or otpauth://totp/ URI for one-time codes.
            gmail_oauth_account_id, phone_number_id: the hosted product's; navis has neither
                and raises NavisError 400 when one is given.
            allowed_domains: hosts ("login.example.com") or wildcards ("*.example.com") the
                credential may be filled into; wins over `service_name`.
            allow_insecure: allow filling over plain http on hosts that are not loopback.

        Returns:
            {"id", "user_id", "service_name", "username_or_email" (always None),
            "allowed_domains", "has_totp", "allow_insecure", "created_at", "updated_at"}.
        """
        payload = body(
            service_name=service_name,
            username_or_email=username_or_email,
            password=password,
            totp_secret=totp_secret,
            gmail_oauth_account_id=gmail_oauth_account_id,
            phone_number_id=phone_number_id,
            allowed_domains=list(allowed_domains) if allowed_domains is not None else None,
            allow_insecure=allow_insecure,
        )
        return self._http.request("POST", "/public/credentials", json_body=payload)

    def list_credentials(self) -> List[Dict[str, Any]]:
        """Your credentials, as a list of what create_credential answers."""
        return self._http.request("GET", "/public/credentials")

    def get_credential(self, credential_id: str) -> Dict[str, Any]:
        """One credential: {"id", "name", "allowedDomains", "hasTotp", "allowInsecure",
        "createdAt", "updatedAt"}."""
        return self._http.request("GET", f"/browser/credentials/{quote(credential_id)}")

    def update_credential(
        self,
        credential_id: str,
        *,
        name: Optional[str] = None,
        allowed_domains: Optional[Iterable[str]] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        totp_secret: Optional[str] = None,
        remove_totp: bool = False,
        allow_insecure: Optional[bool] = None,
        current_password: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Change a credential; the fields left out stay as they are.

        Changing `allowed_domains`, or turning `allow_insecure` on, needs the current password:
        as `password` (which then stays), or as `current_password` when `password` sets a new
        one. Without it navis raises NavisError 403 and changes nothing.

        Args:
            credential_id: the credential.
            name: a new name.
            allowed_domains: new hosts or wildcards it may be filled into.
            username: a new username.
            password: a new password, or the current one as proof (see above).
            totp_secret: a new TOTP secret.
            remove_totp: True removes the TOTP secret.
            allow_insecure: allow (or stop allowing) plain http on hosts that are not loopback.
            current_password: the stored password, as proof when `password` sets a new one.

        Returns:
            The credential, as get_credential answers it.
        """
        payload = body(
            name=name,
            allowedDomains=list(allowed_domains) if allowed_domains is not None else None,
            username=username,
            password=password,
            totpSecret=totp_secret,
            allowInsecure=allow_insecure,
            currentPassword=current_password,
        )
        if remove_totp:
            if totp_secret is not None:
                raise ValueError("Give either totp_secret (a new secret) or remove_totp=True, not both")
            payload["totpSecret"] = None
        return self._http.request("PATCH", f"/browser/credentials/{quote(credential_id)}", json_body=payload)

    def delete_credential(self, credential_id: str) -> None:
        """Delete a credential from the vault."""
        self._http.request("DELETE", f"/browser/credentials/{quote(credential_id)}")
