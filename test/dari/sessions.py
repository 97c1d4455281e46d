"""Session management with the Dari client: create, get, list, update (metadata merged, the TTL
only shortened), terminate, delete."""
from harness import client, raised, report

dari = client()
out = {}
out["created"] = dari.create_session(screen_config={"width": 1440, "height": 900}, ttl=3600, metadata={"purpose": "dari", "user": "john"})
sid = out["created"]["session_id"]
out["got"] = dari.get_session(sid)
out["active"] = dari.list_sessions(status_filter="active", limit=50, offset=0)
out["unfiltered"] = dari.list_sessions()
out["merged"] = dari.update_session(sid, metadata={"user": "jane", "step": 2})
out["shortened"] = dari.update_session(sid, ttl=1800)
out["extended"] = raised(lambda: dari.update_session(sid, ttl=7200))
out["terminated"] = dari.terminate_session(sid)
out["after_terminate"] = dari.get_session(sid)
out["terminated_again"] = raised(lambda: dari.terminate_session(sid))
out["terminated_list"] = dari.list_sessions(status_filter="terminated", limit=10)
out["deleted"] = dari.delete_session(sid)
out["after_delete"] = raised(lambda: dari.get_session(sid))
out["deleted_again"] = raised(lambda: dari.delete_session(sid))
with client() as scoped:  # the client as a context manager closes its requests.Session
    out["via_context_manager"] = scoped.list_sessions(limit=1)["total"]
report(out)
