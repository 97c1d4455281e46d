"""Credentials with the Dari client: create (a host as service_name), list, and the list loop of
the hosted API's docs."""
import os

from harness import client, raised, report

dari = client()
out = {}
out["created"] = dari.create_credential(
    service_name="127.0.0.1",
    username_or_email=os.environ["ACCOUNT_USERNAME"],
    password=os.environ["ACCOUNT_PASSWORD"],
    totp_secret=os.environ["ACCOUNT_TOTP"],
)
out["plain"] = dari.create_credential(service_name="login.example.com", username_or_email="someone@example.com", password="another-pass-Lk2")
credentials = dari.list_credentials()
out["listed"] = credentials
# The hosted API's docs, as they are:
lines = [f"Found {len(credentials)} credentials"]
for cred in credentials:
    lines.append(f"- {cred['service_name']}: {cred['username_or_email']}")
out["docs_loop"] = lines
out["not_a_host"] = raised(lambda: dari.create_credential(service_name="Gmail", username_or_email="a@example.com", password="p"))
out["gmail_oauth"] = raised(lambda: dari.create_credential(service_name="gmail.com", username_or_email="a@example.com", password="p", gmail_oauth_account_id="acc_1"))
out["phone_number"] = raised(lambda: dari.create_credential(service_name="example.com", username_or_email="a@example.com", password="p", phone_number_id="pn_1"))
out["no_password"] = raised(lambda: dari.create_credential(service_name="example.com", username_or_email="a@example.com"))
report(out)
