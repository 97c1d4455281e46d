"""The one exception the client raises, and the failed answer it carries.

Every error answer of navis (HTTP status 400 and up), and a navis the client cannot reach, is a
NavisError. It is the Dari client's DariError (also importable under that name) with navis's
extras: `str(error)` and `detail` are the server's message, `status_code` its HTTP status (None
when navis was not reached), `response` the answer itself.
"""
from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional


class Response:
    """A failed answer, with the parts of a `requests.Response` that scripts written for the Dari
    client read: `status_code`, `headers`, `content`, `text`, `json()` and `url`."""

    def __init__(self, status_code: int, headers: Mapping[str, str], content: bytes, url: str) -> None:
        self.status_code = status_code
        self.headers: Dict[str, str] = {key.lower(): value for key, value in headers.items()}
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        """The body as text (UTF-8)."""
        return self.content.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def json(self) -> Any:
        """The body parsed as JSON; ValueError when it is not JSON (as requests raises)."""
        return json.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"


class NavisError(Exception):
    """An error answer from navis, or a navis that could not be reached.

    Attributes:
        status_code: the HTTP status (400, 404, 410, 429…); None when navis was not reached, or
            when a streamed discovery failed after it had started (see `code`).
        detail: the server's message, also `str(error)`: the body's `detail` for /public routes,
            its `error` for /browser and /api/sites ones.
        code: the machine-readable code /browser answers carry (`SESSION_NOT_FOUND`,
            `ACTION_TIMEOUT`, `EGRESS_REFUSED`…); None for /public and /api/sites.
        body: the parsed error body (a dict), e.g. a failed task's `stepLog`; None when it had none.
        response: the failed answer (`Response`), None when there was none.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: Optional[int] = None,
        response: Optional[Response] = None,
        code: Optional[str] = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.detail = message
        self.status_code = status_code
        self.response = response
        self.code = code
        self.body = body

    @property
    def status(self) -> Optional[int]:
        """The HTTP status, as `status_code` (the name navis's first Python client used)."""
        return self.status_code


DariError = NavisError


def error_from_answer(response: Response) -> NavisError:
    """The NavisError for an answer of status 400 or more, worded by its body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    message = None
    code = None
    if isinstance(body, dict):
        for key in ("detail", "error", "message"):
            if body.get(key):
                message = body[key] if isinstance(body[key], str) else json.dumps(body[key])
                break
        code = body.get("code") if isinstance(body.get("code"), str) else None
    if message is None:
        message = f"navis request failed with status {response.status_code}: {response.text[:1000]}"
    return NavisError(message, status_code=response.status_code, response=response, code=code, body=body)
