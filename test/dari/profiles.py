"""Browser profiles with the Dari client: create (with and without the hosted product's provider)
and list."""
from harness import client, report

dari = client()
out = {}
out["created"] = dari.create_browser_profile(name="dari work")
out["with_provider"] = dari.create_browser_profile(name="dari kernel", provider="kernel")
out["listed"] = dari.list_browser_profiles()
report(out)
