"""Natural-language actions through the client: a run cached under an id, the same id replayed
from the step cache with other variables, the cache entry listed, read and deleted, and the usage
they counted."""
from navis import Client

from report import SITE, raised, report

client = Client()
MEETING = "Type {{meeting_title}} into Title, select 15:00 in Time, then click Save"
sid = client.create_session()["session_id"]
out = {}
client.run_single_action(f"go to {SITE}/sa-calendar.html", session_id=sid)
out["first"] = client.run_single_action(MEETING, session_id=sid, id="py-meeting", variables={"meeting_title": "Internal sync"})
client.run_single_action(action=f"go to {SITE}/sa-calendar.html", session_id=sid)
out["replay"] = client.run_single_action(action=MEETING, session_id=sid, id="py-meeting", variables={"meeting_title": "Review"})
out["page"] = client.run_single_action("extract the page text", session_id=sid)["result"]
out["cache"] = client.list_step_cache(limit=10)
out["entry"] = client.get_step_cache_entry("py-meeting")
out["usage"] = client.get_usage(limit=3)
out["cache_deleted"] = client.delete_step_cache_entry("py-meeting")
out["entry_after_delete"] = raised(lambda: client.get_step_cache_entry("py-meeting"))
client.terminate_session(sid)
report(out)
