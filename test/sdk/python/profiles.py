"""Browser profiles through the client: create (positionally, and with the hosted product's
provider), get, list, delete; a session started from one holds it; the /browser twins."""
from navis import Client

from report import raised, report

client = Client()
out = {}
out["created"] = client.create_browser_profile("py work")
out["with_provider"] = client.create_browser_profile(name="py kernel", provider="kernel")
out["got"] = client.get_browser_profile(out["created"]["id"])
out["listed"] = client.list_browser_profiles()
session = client.create_session(profile_id=out["created"]["id"], persist_changes=True)
out["session_profile"] = [session["profile_id"], session["persist_changes"]]
out["in_use"] = client.browser.get_profile(out["created"]["id"])["inUseBySession"] == session["session_id"]
out["delete_in_use"] = raised(lambda: client.delete_browser_profile(out["created"]["id"]))
client.terminate_session(session["session_id"])
out["deleted"] = client.delete_browser_profile(out["created"]["id"])
out["after_delete"] = raised(lambda: client.get_browser_profile(out["created"]["id"]))
out["browser_created"] = client.browser.create_profile("py camel")
out["browser_listed"] = [p["name"] for p in client.browser.list_profiles()["profiles"]]
out["browser_deleted"] = client.browser.delete_profile(out["browser_created"]["id"])
report(out)
