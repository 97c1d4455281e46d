"""Run Single Action with the Dari client: on a session, with variables; the same id again replayed
from the step cache; set_cache=False; and a run without session_id, which makes its own session."""
import os

from harness import client, report

site = os.environ["FIXTURES"]
dari = client()
MEETING = "Type {{meeting_title}} into Title, type {{date}} into Date, select 15:00 in Time, then click Save"
READ = "extract the page text"
out = {}

sid = dari.create_session(ttl=600)["session_id"]
out["open"] = dari.run_single_action(action=f"go to {site}/sa-home.html", session_id=sid)
out["navigate"] = dari.run_single_action(action="Navigate to Google Calendar", session_id=sid, id="dari-nav-to-calendar")
out["first"] = dari.run_single_action(action=MEETING, session_id=sid, id="dari-meeting", variables={"meeting_title": "Internal sync", "date": "2026-11-24"})
out["first_page"] = dari.run_single_action(action=READ, session_id=sid)["result"]

dari.run_single_action(action=f"go to {site}/sa-calendar.html", session_id=sid)
out["replay"] = dari.run_single_action(action=MEETING, session_id=sid, id="dari-meeting", variables={"meeting_title": "Quarterly review", "date": "2026-12-01"})
out["replay_page"] = dari.run_single_action(action=READ, session_id=sid)["result"]

out["uncached"] = []
for title in ("No cache", "Still no cache"):
    dari.run_single_action(action=f"go to {site}/sa-calendar.html", session_id=sid)
    out["uncached"].append(dari.run_single_action(action=MEETING, session_id=sid, id="dari-uncached", variables={"meeting_title": title, "date": "2026-11-27"}, set_cache=False))
dari.terminate_session(sid)

out["implicit"] = dari.run_single_action(action=f"go to {site}/sa-home.html", screen_config={"width": 1024, "height": 768})
out["implicit_session"] = dari.get_session(out["implicit"]["session_id"])
dari.terminate_session(out["implicit"]["session_id"])
report(out)
