"""How the client talks to navis: one HTTP request with urllib (standard library only), its answer
decoded by type, an NDJSON stream read line by line, and multipart bodies built by hand.

Answers: JSON is parsed, 204 and empty bodies are None, other text is a str, and a caller that asks
for bytes (`raw=True`) gets them. Every status of 400 and up becomes a NavisError, and so does a
navis that cannot be reached.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import IO, Any, Dict, Iterable, Iterator, Mapping, Optional, Tuple, Union

from ._version import __version__
from .errors import NavisError, Response, error_from_answer

DEFAULT_BASE_URL = "http://127.0.0.1:8787"

# What a file to upload may be: a path, or (filename, bytes or a binary file object).
FileContent = Union[bytes, bytearray, IO[bytes]]
UploadFile = Union[str, "os.PathLike[str]", Tuple[str, FileContent]]


class Transport:
    """Sends requests to one navis with one API key."""

    def __init__(self, api_key: Optional[str], base_url: str, timeout: float) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._headers = {"User-Agent": f"navis-python/{__version__}", "Accept": "application/json"}

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        data: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        raw: bool = False,
        send_key: bool = True,
    ) -> Any:
        """One request; its decoded answer (bytes when `raw`). `path` may be a full URL."""
        opened = self.open(
            method, path, json_body=json_body, params=params, data=data, headers=headers, timeout=timeout, send_key=send_key
        )
        with opened as answer:
            content = self._read(answer, method, path, timeout)
            if raw:
                return content
            if answer.status == 204 or not content:
                return None
            if "json" in (answer.headers.get("Content-Type") or ""):
                try:
                    return json.loads(content)
                except ValueError:
                    raise NavisError("navis answered JSON that does not parse", status_code=answer.status) from None
            return content.decode("utf-8", "replace")

    def stream_lines(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
    ) -> Iterator[Any]:
        """Each line of an NDJSON answer, parsed, as it arrives."""
        with self.open(method, path, json_body=json_body, headers=headers, timeout=timeout) as answer:
            while True:
                try:
                    line = answer.readline()
                except (OSError, http.client.HTTPException) as error:
                    raise self._unreachable(error, method, path, timeout) from error
                if not line:
                    return
                if line.strip():
                    yield json.loads(line)

    def open(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Optional[Mapping[str, Any]] = None,
        data: Optional[bytes] = None,
        headers: Optional[Mapping[str, str]] = None,
        timeout: Optional[float] = None,
        send_key: bool = True,
    ) -> http.client.HTTPResponse:
        """Sends the request and returns the open answer of a success (the caller closes it)."""
        url = self.url(path, params)
        request_headers: Dict[str, str] = dict(self._headers)
        if send_key and self.api_key:
            request_headers["X-API-Key"] = self.api_key
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            request_headers["Content-Type"] = "application/json"
        request_headers.update(headers or {})
        request = urllib.request.Request(url, data=data, method=method, headers=request_headers)
        try:
            return urllib.request.urlopen(request, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as error:
            try:
                content = error.read()
            finally:
                error.close()
            headers = dict(error.headers.items()) if error.headers else {}
            raise error_from_answer(Response(error.code, headers, content, url)) from None
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error, method, path, timeout) from error

    def url(self, path: str, params: Optional[Mapping[str, Any]] = None) -> str:
        """The full URL of `path` (itself when it is one), with `params` (None values left out)."""
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        query = {key: _query_value(value) for key, value in (params or {}).items() if value is not None}
        return f"{url}?{urllib.parse.urlencode(query)}" if query else url

    def _read(self, answer: http.client.HTTPResponse, method: str, path: str, timeout: Optional[float]) -> bytes:
        try:
            return answer.read()
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error, method, path, timeout) from error

    def _unreachable(self, error: BaseException, method: str, path: str, timeout: Optional[float]) -> NavisError:
        if isinstance(error, urllib.error.URLError) and isinstance(error.reason, BaseException):
            error = error.reason
        if isinstance(error, socket.timeout):
            return NavisError(
                f"navis at {self.base_url} did not answer {method} {path.split('?')[0]} within "
                f"{timeout or self.timeout:g} s. Give the client a longer timeout (timeout=, or action_timeout= "
                "for calls that drive a browser)."
            )
        return NavisError(
            f"Could not reach navis at {self.base_url} ({error}). Start navis, or point the client at it "
            "with base_url= or the NAVIS_URL environment variable."
        )


def multipart(files: Iterable[UploadFile]) -> Tuple[bytes, str]:
    """A multipart/form-data body with one `file` part per file, and its Content-Type."""
    boundary = f"navis-{uuid.uuid4().hex}"
    chunks = []
    for filename, content in (_file_part(item) for item in files):
        chunks += [
            f"--{boundary}\r\n".encode("ascii"),
            f'Content-Disposition: form-data; name="file"; filename="{_quoted(filename)}"\r\n'.encode("utf-8"),
            b"Content-Type: application/octet-stream\r\n\r\n",
            content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _file_part(item: UploadFile) -> Tuple[str, bytes]:
    if isinstance(item, tuple):
        filename, content = item
        return filename, bytes(content) if isinstance(content, (bytes, bytearray)) else content.read()
    with open(item, "rb") as file:
        return os.path.basename(os.fspath(item)), file.read()


def _quoted(filename: str) -> str:
    """A filename as a quoted-string of a part header: quotes and backslashes escaped, no line breaks."""
    if "\r" in filename or "\n" in filename:
        raise ValueError(f"A file name cannot hold a line break: {filename!r}")
    return filename.replace("\\", "\\\\").replace('"', '\\"')


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def body(**fields: Any) -> Dict[str, Any]:
    """A JSON body of the fields that were given (None means: left out)."""
    return {key: value for key, value in fields.items() if value is not None}


def quote(segment: str) -> str:
    """A path segment: ids, slugs and file names never change the path they are put in."""
    return urllib.parse.quote(str(segment), safe="")
