"""Site manifests through the client: put a small manifest of the fixture site, list it, run an
action, read a list view with a query input, its OpenAPI document and docs page; a discovery with
its progress streamed (a callback, and the raw NDJSON events); delete."""
from navis import Client

from report import SITE, raised, report

client = Client()
manifest = {
    "name": "Python fixture site",
    "baseUrl": f"{SITE}/site/",
    "states": [
        {
            "name": "LoginPage",
            "url": "login.html",
            "actions": [
                {
                    "name": "submit_login",
                    "inputs": [{"name": "email", "required": True}, {"name": "password", "required": True}],
                    "steps": [
                        {"type": "type", "selector": "#email", "text": "{{email}}"},
                        {"type": "type", "selector": "#password", "text": "{{password}}"},
                        {"type": "click", "selector": "#submit"},
                        {"type": "wait", "text": "Welcome {{email}}"},
                        {"type": "extract", "selector": "#welcome"},
                    ],
                }
            ],
            "views": [],
        },
        {
            "name": "SearchPage",
            "url": "search.html?q={{q}}",
            "actions": [],
            "views": [
                {
                    "name": "results",
                    "kind": "list",
                    "selector": ".result",
                    "fields": [{"name": "title", "attribute": "text"}, {"name": "link", "attribute": "href"}],
                }
            ],
        },
    ],
}
out = {}
out["stored"] = client.put_site_manifest("py-site", manifest)
out["listed"] = client.list_sites()
out["got"] = client.get_site_manifest("py-site")
out["action"] = client.run_site_action("py-site", "LoginPage", "submit_login", {"email": "ada@example.com", "password": "py-site-pass-4"})
out["view"] = client.read_site_view("py-site", "SearchPage", "results", {"q": "kettle"})
out["openapi_paths"] = sorted(client.get_site_openapi("py-site")["paths"])
out["docs_title"] = "<title>" in client.get_site_docs("py-site")
out["bad_input"] = raised(lambda: client.run_site_action("py-site", "LoginPage", "submit_login", {"email": "a@example.com"}))
out["bad_manifest"] = raised(lambda: client.put_site_manifest("py-bad", {"name": "no states"}))

heard = []
out["discovered"] = client.discover_site(f"{SITE}/shop/index.html", max_pages=3, slug="py-shop", verify=False, on_progress=heard.append)
out["heard"] = heard
out["events"] = [event["type"] for event in client.discover_site_events(f"{SITE}/shop/index.html", max_pages=2, slug="py-shop-2", verify=False)]
out["bad_discovery"] = raised(lambda: client.discover_site("ftp://example.com/", max_pages=0))

out["deleted"] = client.delete_site("py-site")
out["after_delete"] = raised(lambda: client.get_site_manifest("py-site"))
report(out)
