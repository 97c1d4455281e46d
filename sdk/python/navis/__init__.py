"""Python client for navis, a self-hosted browser automation server (standard library only).

    from navis import Client
    client = Client(api_key="...")                  # or NAVIS_API_KEY; server: base_url= or NAVIS_URL
    session = client.create_session(ttl=600)
    client.run_single_action("go to https://example.com", session_id=session["session_id"])
    client.terminate_session(session["session_id"])

Scripts written for the hosted Dari client run with only their import line changed:
`from navis import Client as Dari` (or `from navis import Dari, DariError`).
"""
from ._version import __version__
from .client import Client, Dari, Navis
from .errors import DariError, NavisError, Response

__all__ = ["Client", "Dari", "Navis", "NavisError", "DariError", "Response", "__version__"]
