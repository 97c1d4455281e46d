"""Sessions through the client: create, get, list, update, terminate, delete (/public, snake_case),
and the same session through client.browser (/browser, camelCase), which also sets an idle timeout."""
from navis import Client

from report import raised, report

client = Client()  # NAVIS_API_KEY and NAVIS_URL
out = {}
out["created"] = client.create_session(screen_config={"width": 1024, "height": 768}, ttl=900, metadata={"job": "py"})
sid = out["created"]["session_id"]
out["got"] = client.get_session(sid)
out["listed"] = client.list_sessions(status_filter="active", limit=5, offset=0)
out["updated"] = client.update_session(sid, metadata={"step": 2}, ttl=600)
out["as_browser"] = client.browser.get_session(sid)
out["browser_listed"] = client.browser.list_sessions(status="active")
out["terminated"] = client.terminate_session(sid)
out["after_terminate"] = client.get_session(sid)["status"]
out["terminated_again"] = raised(lambda: client.terminate_session(sid))
out["deleted"] = client.delete_session(sid)
out["after_delete"] = raised(lambda: client.get_session(sid))

idle = client.browser.create_session(screen={"width": 800, "height": 600}, ttl_seconds=120, timeout=60000)
out["browser_created"] = idle
out["browser_deleted"] = client.browser.delete_session(idle["id"])
out["browser_after_delete"] = raised(lambda: client.browser.get_session(idle["id"]))
with Client() as scoped:  # as the Dari client, a context manager
    out["in_with_block"] = scoped.list_sessions()["total"]
report(out)
