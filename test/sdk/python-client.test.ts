// The Python client runs seed 001's own snippet unchanged but for the import line.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { runPython } from '../helpers/python.js';

const SDK = path.join(import.meta.dirname, '..', '..', 'sdk', 'python');
let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

/** Runs a Python script against the in-process navis. */
const run = (script: string) =>
  runPython(
    ['-c', script],
    { PYTHONPATH: SDK, NAVIS_URL: navis.base, NAVIS_TEST_KEY: ADMIN_KEY, FIXTURES: fixtures.url },
    60_000,
  );

test("seed 001's Python snippet runs against navis with only the import changed", async () => {
  const script = `
import os
from navis import Dari
client = Dari( api_key = os.environ["NAVIS_TEST_KEY"] )
# Create a session with custom configuration
session = client.create_session(
screen_config = { "width" : 1920 , "height" : 1080 },
ttl = 3600 , # 1 hour
metadata = { "purpose" : "workflow-automation" , "user" : "john" }
)
print ( f"Session ID: { session[ 'session_id' ] } " )
print ( f"Expires at: { session[ 'expires_at' ] } " )
print ( f"Live URL: { session[ 'metadata' ][ 'live_url' ] } " )
profile = client.create_browser_profile("work")
listed = client.list_sessions(status_filter="active", limit=10)
assert any(s["session_id"] == session["session_id"] for s in listed["sessions"]), listed
client.terminate_session(session["session_id"])
print("status after terminate:", client.get_session(session["session_id"])["status"])
try:
    client.terminate_session(session["session_id"])
except Exception as error:
    print("second terminate:", error.status, error.detail)
`;
  const { stdout, stderr, status } = await run(script);
  assert.equal(status, 0, stderr);
  assert.match(stdout, /Session ID: [0-9a-f-]{36}/);
  assert.match(stdout, /Live URL: http:\/\/127\.0\.0\.1:\d+\/live\//);
  assert.match(stdout, /status after terminate: terminated/);
  assert.match(stdout, /second terminate: 400 Session is already terminated/);
});

test('the Python client raises NavisError with the detail for a wrong key', async () => {
  const { stdout, status, stderr } = await run(`
from navis import Dari, NavisError
try:
    Dari(api_key="wrong").list_sessions()
except NavisError as error:
    print(error.status, error.detail)
`);
  assert.equal(status, 0, stderr);
  assert.equal(stdout.trim(), '401 Invalid API key');
});

test("seed 000's Python snippet runs against navis with only the import changed", async () => {
  const script = `
import os
from navis import Dari

client = Dari(api_key=os.environ["NAVIS_TEST_KEY"])

# Create a managed session first
session = client.create_session(
    screen_config={"width": 1440, "height": 900},
    ttl=3600  # 1 hour
)
client.run_single_action(action="go to " + os.environ["FIXTURES"] + "/sa-home.html", session_id=session["session_id"])

# Use the session for multiple actions
result1 = client.run_single_action(
    action="Navigate to Google Calendar",
    session_id=session["session_id"],
    id="nav-to-calendar"
)

result2 = client.run_single_action(
    action="Type {{meeting_title}} into Title, select 15:00 in Time, then click Save",
    session_id=session["session_id"],
    id="calendar-meeting-step",
    variables={"meeting_title": "Internal sync"}
)

# With custom user agent
result3 = client.run_single_action(
    action="go to " + os.environ["FIXTURES"] + "/sa-ua.html",
    session_id=session["session_id"],
    id="mobile-nav-step",
    user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15"
)

# Clean up when done
client.terminate_session(session["session_id"])
for r in (result1, result2, result3):
    print(sorted(k for k in r if k in ("success", "result", "credits", "used_cache", "set_cache", "cache_failed")), r["success"], r.get("error"))
`;
  const { stdout, stderr, status } = await run(script);
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 3, stdout);
  for (const line of lines) {
    assert.equal(line, "['cache_failed', 'credits', 'result', 'set_cache', 'success', 'used_cache'] True None");
  }
});
