"""Work on a session's page with typed actions (Run Task), its PDF and screenshot as bytes, and the
session's files (uploads for `uploadFile`, and what its pages downloaded): /browser/sessions/{id}/…
The actions and answers are camelCase, as the API documents them."""
from __future__ import annotations

import os
import shutil
from typing import Any, Dict, Iterable, Mapping, Optional, Union

from ._http import FileContent, Transport, UploadFile, body, multipart, quote


class TaskMethods:
    _http: Transport
    action_timeout: float

    def run_task(
        self,
        session_id: str,
        actions: Optional[Iterable[Mapping[str, Any]]] = None,
        *,
        url: Optional[str] = None,
        wait_until: Optional[str] = None,
        screenshot: Union[bool, Mapping[str, Any], None] = None,
        pdf: Union[bool, Mapping[str, Any], None] = None,
        content: Optional[bool] = None,
    ) -> Dict[str, Any]:
        """Run typed actions on the session's page, in order.

        Args:
            session_id: the session.
            actions: e.g. [{"type": "type", "selector": "#email", "text": "ada@example.com"},
                {"type": "click", "selector": "button[type=submit]"}]; types: navigate, click,
                type, press, scroll, wait, evaluate, screenshot, uploadFile, authenticate,
                select, hover, check, focus, extract, back, forward.
            url: a page to open first.
            wait_until: `load` (default), `domcontentloaded` or `networkidle`, for `url`.
            screenshot: True (or {"fullPage": True, "selector": ...}) for a screenshot after
                the actions, base64 PNG in the answer.
            pdf: True (or PDF options) for a PDF after the actions, base64 in the answer.
            content: True for the final page's {"html", "url"}.

        Returns:
            {"url", "actionResults", "stepLog"} and the artifacts asked for. A failed action
            raises NavisError (404 SELECTOR_NOT_FOUND, 408 ACTION_TIMEOUT, 422 ACTION_FAILED…)
            whose `body` holds `failedActionIndex`, `stepLog` and `actionResults`.
        """
        payload = body(
            url=url,
            waitUntil=wait_until,
            actions=[dict(action) for action in actions] if actions is not None else [],
            screenshot=_options(screenshot),
            pdf=_options(pdf),
            content=content,
        )
        return self._http.request(
            "POST", f"/browser/sessions/{quote(session_id)}/tasks", json_body=payload, timeout=self.action_timeout
        )

    def screenshot(
        self,
        session_id: str,
        *,
        url: Optional[str] = None,
        wait_until: Optional[str] = None,
        full_page: Optional[bool] = None,
        selector: Optional[str] = None,
        type: Optional[str] = None,  # noqa: A002 - the API's own name
        quality: Optional[int] = None,
    ) -> bytes:
        """A screenshot of the session's current page (or of `url`, opened first), as image bytes.

        Args:
            session_id: the session.
            url: a page to open first; wait_until as for run_task.
            full_page: the whole page, not only the window.
            selector: only this element.
            type: `png` (default) or `jpeg`; quality (0..100) for jpeg.

        Returns:
            The PNG (or JPEG) file's bytes.
        """
        payload = body(url=url, waitUntil=wait_until, fullPage=full_page, selector=selector, type=type, quality=quality)
        accept = "image/jpeg" if type == "jpeg" else "image/png"
        return self._http.request(
            "POST",
            f"/browser/sessions/{quote(session_id)}/screenshot",
            json_body=payload,
            headers={"Accept": accept},
            timeout=self.action_timeout,
            raw=True,
        )

    def pdf(
        self,
        session_id: str,
        *,
        url: Optional[str] = None,
        wait_until: Optional[str] = None,
        format: Optional[str] = None,  # noqa: A002 - the API's own name
        landscape: Optional[bool] = None,
        margin: Optional[Mapping[str, Union[str, float]]] = None,
        print_background: Optional[bool] = None,
        scale: Optional[float] = None,
        page_ranges: Optional[str] = None,
        display_header_footer: Optional[bool] = None,
        header_template: Optional[str] = None,
        footer_template: Optional[str] = None,
        width: Union[str, float, None] = None,
        height: Union[str, float, None] = None,
        prefer_css_page_size: Optional[bool] = None,
    ) -> bytes:
        """The session's current page (or `url`, opened first) printed as PDF bytes.

        Args:
            session_id: the session.
            url: a page to open first; wait_until as for run_task.
            format: paper format, `Letter` (default), `A4`, `Legal`…; or width and height
                ("210mm", or a number of px).
            landscape, margin ({"top": "1cm", ...}), print_background, scale (0.1..2),
            page_ranges ("1-5, 8"), display_header_footer, header_template, footer_template,
            prefer_css_page_size: as Chromium's printing takes them.

        Returns:
            The PDF file's bytes.
        """
        payload = body(
            url=url,
            waitUntil=wait_until,
            format=format,
            landscape=landscape,
            margin=dict(margin) if margin is not None else None,
            printBackground=print_background,
            scale=scale,
            pageRanges=page_ranges,
            displayHeaderFooter=display_header_footer,
            headerTemplate=header_template,
            footerTemplate=footer_template,
            width=width,
            height=height,
            preferCSSPageSize=prefer_css_page_size,
        )
        return self._http.request(
            "POST",
            f"/browser/sessions/{quote(session_id)}/pdf",
            json_body=payload,
            headers={"Accept": "application/pdf"},
            timeout=self.action_timeout,
            raw=True,
        )


class FileMethods:
    _http: Transport
    action_timeout: float

    def upload_file(
        self, session_id: str, file: Union[str, "os.PathLike[str]", FileContent], filename: Optional[str] = None
    ) -> Dict[str, Any]:
        """Upload one file to a session, for the `uploadFile` action ({"type": "uploadFile",
        "selector": "#file", "filename": ...}).

        Args:
            session_id: the session.
            file: a path, or the content (bytes or a binary file object).
            filename: the name to store it under; default the path's (or file object's) name.

        Returns:
            {"files": [{"filename", "size", "createdAt"}]}: the name as stored (path parts and
            unsafe characters removed). A file of the same name is replaced.
        """
        if filename is None:
            named = file if isinstance(file, (str, os.PathLike)) else getattr(file, "name", None)
            if not isinstance(named, (str, os.PathLike)):
                raise ValueError("Give the file's name: upload_file(session_id, content, filename='report.csv')")
            filename = os.path.basename(os.fspath(named))
        if isinstance(file, (str, os.PathLike)):
            with open(file, "rb") as opened:
                return self.upload_files(session_id, [(filename, opened.read())])
        return self.upload_files(session_id, [(filename, file)])

    def upload_files(self, session_id: str, files: Iterable[UploadFile]) -> Dict[str, Any]:
        """Upload several files in one multipart request: all are stored, or none.

        Args:
            session_id: the session.
            files: paths, or (filename, bytes or binary file object) pairs.

        Returns:
            {"files": [{"filename", "size", "createdAt"}, ...]}.
        """
        data, content_type = multipart(files)
        return self._http.request(
            "POST",
            f"/browser/sessions/{quote(session_id)}/files",
            data=data,
            headers={"Content-Type": content_type},
            timeout=self.action_timeout,
        )

    def list_files(self, session_id: str) -> Dict[str, Any]:
        """The session's files, uploaded and downloaded by its pages:
        {"files": [{"filename", "size", "createdAt"}, ...]}."""
        return self._http.request("GET", f"/browser/sessions/{quote(session_id)}/files")

    def download_file(
        self, session_id: str, filename: str, to: Union[str, "os.PathLike[str]", None] = None
    ) -> Union[bytes, str]:
        """A file of the session: one you uploaded, or one a page of the session downloaded.

        Args:
            session_id: the session.
            filename: its name, as list_files shows it.
            to: a path to write it to (streamed, for large files).

        Returns:
            The file's bytes; with `to`, the path written.
        """
        path = f"/browser/sessions/{quote(session_id)}/files/{quote(filename)}"
        if to is None:
            return self._http.request("GET", path, raw=True, headers={"Accept": "*/*"}, timeout=self.action_timeout)
        with self._http.open("GET", path, headers={"Accept": "*/*"}, timeout=self.action_timeout) as answer:
            with open(to, "wb") as out:
                shutil.copyfileobj(answer, out)
        return os.fspath(to)

    def delete_file(self, session_id: str, filename: str) -> None:
        """Delete a file of the session."""
        self._http.request("DELETE", f"/browser/sessions/{quote(session_id)}/files/{quote(filename)}")


def _options(value: Union[bool, Mapping[str, Any], None]) -> Optional[Dict[str, Any]]:
    if value is None or value is False:
        return None
    return {} if value is True else dict(value)
