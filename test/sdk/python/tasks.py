"""A typed task on a page the test serves (the login form of test/fixtures/site), with a
screenshot and the page's content in the answer; then the page's screenshot and PDF as bytes, and
a task whose action fails."""
import struct

from navis import Client

from report import SITE, raised, report

client = Client()
sid = client.create_session(screen_config={"width": 800, "height": 600})["session_id"]
out = {}
out["task"] = client.run_task(
    sid,
    [
        {"type": "type", "selector": "#email", "text": "ada@example.com"},
        {"type": "type", "selector": "#password", "text": "py-task-pass-9", "secret": True},
        {"type": "click", "selector": "#submit"},
        {"type": "wait", "text": "Welcome ada@example.com"},
        {"type": "extract", "selector": "#welcome"},
    ],
    url=f"{SITE}/site/login.html",
    screenshot=True,
    content=True,
)
png = client.screenshot(sid, full_page=True)
out["png"] = png
out["png_size"] = list(struct.unpack(">II", png[16:24]))
out["jpeg_start"] = client.screenshot(sid, type="jpeg", quality=40)[:3]
out["pdf"] = client.pdf(sid, format="A4", print_background=True)
out["failed"] = raised(lambda: client.run_task(sid, [{"type": "click", "selector": "#missing", "timeoutMs": 300}]))
client.terminate_session(sid)
report(out)
