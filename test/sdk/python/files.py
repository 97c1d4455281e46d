"""A session's files through the client: several uploaded in one multipart request (one with a
UTF-8 name, one from a path), listed, put into a file input by the uploadFile action, downloaded
as bytes and to a path; a file the page downloaded; deleted."""
import os
import tempfile
import time

from navis import Client

from report import SITE, raised, report

client = Client()
sid = client.create_session()["session_id"]
work = tempfile.mkdtemp()
with open(os.path.join(work, "notes.txt"), "wb") as file:
    file.write(b"from a path\n")
binary = bytes(range(256))
out = {}
out["uploaded"] = client.upload_files(sid, [("€ rates.csv", "eur,1.08\n".encode()), ("blob.bin", binary), os.path.join(work, "notes.txt")])
out["one"] = client.upload_file(sid, os.path.join(work, "notes.txt"), filename="renamed.txt")
out["listed"] = client.list_files(sid)
task = client.run_task(
    sid,
    [
        {"type": "uploadFile", "selector": "#file", "filename": "notes.txt"},
        {"type": "wait", "ms": 300},
        {"type": "evaluate", "script": "window.read"},
    ],
    url=f"{SITE}/file-input.html",
)
out["page_read"] = task["actionResults"][2]["value"]
out["downloaded"] = client.download_file(sid, "blob.bin") == binary
out["utf8_name"] = client.download_file(sid, "€ rates.csv").decode()
target = os.path.join(work, "copy.txt")
out["to_path"] = client.download_file(sid, "notes.txt", to=target) == target and open(target, "rb").read().decode()

client.run_task(sid, [{"type": "click", "selector": "#small"}], url=f"{SITE}/downloads.html")
for _ in range(50):
    if any(f["filename"] == "report.csv" for f in client.list_files(sid)["files"]):
        break
    time.sleep(0.1)
out["page_download"] = client.download_file(sid, "report.csv").decode()

out["deleted"] = client.delete_file(sid, "blob.bin")
out["after_delete"] = raised(lambda: client.download_file(sid, "blob.bin"))
out["names_left"] = [f["filename"] for f in client.list_files(sid)["files"]]
client.terminate_session(sid)
report(out)
