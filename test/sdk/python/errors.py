"""How the client raises: NavisError is DariError; status_code, detail (= str(error)) and the
Dari client's `response`; /browser's code and body; /api/sites's error; a navis it cannot reach;
the Dari client's methods for hosted-only features; a client without a key."""
import os
import socket

import navis
from navis import Client, DariError, NavisError

from report import raised, report

client = Client()
out = {"same_class": NavisError is DariError and navis.Dari is Client}
try:
    Client(api_key="nv_wrong_key_0000000000000000").list_sessions()
except DariError as error:
    out["wrong_key"] = {
        "class": type(error).__name__,
        "status_code": error.status_code,
        "status": error.status,
        "detail": error.detail,
        "str": str(error),
        "response": [error.response.status_code, error.response.json(), error.response.headers["content-type"]],
    }
out["ttl_too_long"] = raised(lambda: client.create_session(ttl=86401))
try:
    client.run_task("00000000-0000-4000-8000-000000000000", [])
except NavisError as error:
    out["browser_error"] = {"status_code": error.status_code, "code": error.code, "detail": error.detail, "body": error.body}
out["site_error"] = raised(lambda: client.get_site_manifest("no-such-site"))

with socket.socket() as free:
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
out["unreachable"] = raised(lambda: Client(base_url=f"http://127.0.0.1:{port}").list_sessions())
out["hosted_only"] = {
    "start_workflow": raised(lambda: client.start_workflow("wf_1", {"email": "a@example.com"})),
    "list_phone_numbers": raised(client.list_phone_numbers),
    "resume_workflow": raised(lambda: client.resume_workflow(f"{os.environ['NAVIS_URL']}/public/workflows/resume/ex_1", {})),
}
del os.environ["NAVIS_API_KEY"]
try:
    Client()
except ValueError as error:
    out["no_key"] = str(error)
report(out)
