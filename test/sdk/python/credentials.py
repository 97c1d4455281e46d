"""The credential vault through the client: create and list (/public), get, change (a re-binding
needs the current password) and delete (/browser); the /browser twins. The secrets come from the
environment, and the test checks that nothing the client got back holds them."""
import os

from navis import Client

from report import raised, report

client = Client()
user, password, totp = os.environ["ACCOUNT_USERNAME"], os.environ["ACCOUNT_PASSWORD"], os.environ["ACCOUNT_TOTP"]
out = {}
out["created"] = client.create_credential("127.0.0.1", username_or_email=user, password=password, totp_secret=totp)
cid = out["created"]["id"]
out["named"] = client.create_credential("Intranet", username_or_email=user, password=password, allowed_domains=["intranet.example"])
out["listed"] = client.list_credentials()
out["got"] = client.get_credential(cid)
out["renamed"] = client.update_credential(cid, name="local login", remove_totp=True)
out["rebind_without_password"] = raised(lambda: client.update_credential(cid, allowed_domains=["login.example.com"]))
out["rebound"] = client.update_credential(cid, allowed_domains=["login.example.com"], password=password)
out["not_a_host"] = raised(lambda: client.create_credential("Gmail", username_or_email=user, password=password))
out["browser_created"] = client.browser.create_credential(name="camel", allowed_domains=["camel.example"], username=user, password=password)
out["browser_listed"] = [c["name"] for c in client.browser.list_credentials()["credentials"]]
for credential in client.list_credentials():
    client.delete_credential(credential["id"])
out["after_delete"] = client.list_credentials()
out["get_deleted"] = raised(lambda: client.get_credential(cid))
report(out)
