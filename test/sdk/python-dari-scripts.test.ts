// Scripts written for the hosted product's Python client (the Dari client) run on navis's Python
// package with only their import line changed. The scenarios of test/dari, which drive the real Dari
// client (vendored there), run a second time with their harness's `from dari import Dari, DariError`
// made `from navis import Client as Dari, DariError`; both clients, each as a fresh tenant, must
// report the same answers and errors (ids, times and tokens aside). The hosted API's own docs
// snippets run too, with `from navis import Dari`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runDari } from '../dari/run.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { runPython } from '../helpers/python.js';

const SDK = path.join(import.meta.dirname, '..', '..', 'sdk', 'python');
const DARI_SCENARIOS = path.join(import.meta.dirname, '..', 'dari');
const DARI_IMPORT = 'from dari import Dari, DariError';
const NAVIS_IMPORT = 'from navis import Client as Dari, DariError';
const ACCOUNT = {
  ACCOUNT_USERNAME: 'swap-user-4Tg@example.test',
  ACCOUNT_PASSWORD: 'swap-pass-Ju3!vB',
  ACCOUNT_TOTP: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
};

let navis: TestNavis;
let fixtures: FixtureServer;
/** test/dari's scenarios with only the harness's import line changed. */
let swapped: string;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  swapped = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-dari-swap-'));
  for (const file of fs.readdirSync(DARI_SCENARIOS).filter((name) => name.endsWith('.py'))) {
    let text = fs.readFileSync(path.join(DARI_SCENARIOS, file), 'utf8');
    if (file === 'harness.py') {
      assert.equal(text.split(DARI_IMPORT).length, 2, `harness.py has the line "${DARI_IMPORT}" once`);
      text = text.replace(DARI_IMPORT, NAVIS_IMPORT);
    }
    fs.writeFileSync(path.join(swapped, file), text);
  }
});
after(async () => {
  await navis.close();
  await fixtures.close();
  fs.rmSync(swapped, { recursive: true, force: true });
});

/** A tenant of its own for each run, so both clients start from the same empty state. */
const freshTenant = () => navis.newTenant('dari script', { network: { allowPrivate: true } });

async function runOnNavisClient(script: string, args: string[], env: Record<string, string>): Promise<any> {
  const { stdout, stderr, status } = await runPython([path.join(swapped, script), ...args], {
    PYTHONPATH: SDK,
    NAVIS_URL: navis.base,
    FIXTURES: fixtures.url,
    ...env,
  });
  assert.equal(status, 0, `${script} on navis's client failed:\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** What both clients reported, with ids, times and tokens (which differ from run to run) masked. */
function comparable(out: unknown): unknown {
  const text = JSON.stringify(out)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/token=[\w-]+/g, 'token=<token>');
  return JSON.parse(text);
}

/** The `raised` class names in a report. */
const raisedClasses = (out: unknown) => [...JSON.stringify(out).matchAll(/"raised":"(\w+)"/g)].map((m) => m[1]);

async function sameOnBothClients(script: string, args: string[] = [], env: Record<string, string> = {}) {
  const dari = await runDari({ navis, fixtures }, script, { args, env: { NAVIS_KEY: await freshTenant(), ...env } });
  const ours = await runOnNavisClient(script, args, { NAVIS_KEY: await freshTenant(), ...env });
  assert.deepEqual(
    raisedClasses(ours),
    raisedClasses(dari).map(() => 'NavisError'),
    'each error is a NavisError where the Dari client raised DariError',
  );
  const masked = (out: unknown) =>
    comparable(JSON.parse(JSON.stringify(out).replace(/"raised":"NavisError"/g, '"raised":"DariError"')));
  assert.deepEqual(masked(ours), masked(dari));
  return ours;
}

describe("test/dari's scenarios, with only the import line changed, answer as on the Dari client", () => {
  test('sessions.py: create, get, list, update, terminate, delete, and the client as a context manager', async () => {
    const out = await sameOnBothClients('sessions.py');
    assert.equal(out.after_terminate.status, 'terminated');
  });

  test('profiles.py: create_browser_profile (with provider) and list_browser_profiles', async () => {
    await sameOnBothClients('profiles.py');
  });

  test('single_actions.py: variables, the step cache replayed, set_cache=False, a run without session_id', async () => {
    const out = await sameOnBothClients('single_actions.py');
    assert.equal(out.replay.used_cache, true);
  });

  test('credentials.py: create_credential, list_credentials and their errors, no secret answered', async () => {
    const out = await sameOnBothClients('credentials.py', [], ACCOUNT);
    for (const secret of Object.values(ACCOUNT)) assert.equal(JSON.stringify(out).includes(secret), false);
  });

  for (const name of ['bad_request', 'unauthorized', 'not_found', 'gone', 'hosted_only']) {
    test(`errors.py ${name}: the same status_code, message and body`, async () => {
      await sameOnBothClients('errors.py', [name]);
    });
  }

  test('errors.py unreachable: a NavisError without a status_code, naming the refused connection', async () => {
    const out = await runOnNavisClient('errors.py', ['unreachable'], { NAVIS_KEY: await freshTenant() });
    assert.equal(out.raised, 'NavisError');
    assert.equal(out.status_code, null);
    assert.match(out.message, /Connection refused/);
  });
});

test("every method of the Dari client is on navis's Client, taking the same arguments the same way", async () => {
  const { stdout, stderr, status } = await runPython(
    [
      '-c',
      `
import inspect
from dari import Dari
from navis import Client
for name, method in inspect.getmembers(Dari, inspect.isfunction):
    if name.startswith("_") and name not in ("__init__", "__enter__", "__exit__"):
        continue
    ours = inspect.signature(getattr(Client, name)).parameters
    for param in inspect.signature(method).parameters.values():
        if param.name not in ours:
            print(name, "lacks", param.name)
        elif param.kind != ours[param.name].kind and param.kind != param.KEYWORD_ONLY:
            print(name, param.name, "is", param.kind, "in Dari,", ours[param.name].kind, "here")
    extra = [p.name for p in ours.values() if p.default is p.empty and p.name not in inspect.signature(method).parameters]
    if extra:
        print(name, "requires", extra)
`,
    ],
    { PYTHONPATH: [SDK, path.join(DARI_SCENARIOS, 'vendor')].join(path.delimiter) },
  );
  assert.equal(status, 0, stderr);
  // The one difference: Dari's requests.Session has no counterpart in a client of the standard library.
  assert.equal(stdout.trim(), '__init__ lacks session');
});

/** Runs a Python snippet as a tenant of its own, with navis's client on PYTHONPATH. */
async function snippet(code: string) {
  return runPython(['-c', code], {
    PYTHONPATH: SDK,
    NAVIS_URL: navis.base,
    NAVIS_TEST_KEY: await freshTenant(),
    FIXTURES: fixtures.url,
  });
}

test("the hosted API's create-session snippet runs with only the import changed", async () => {
  const { stdout, stderr, status } = await snippet(`
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
    print("second terminate:", error.status_code, error.detail)
`);
  assert.equal(status, 0, stderr);
  assert.match(stdout, /Session ID: [0-9a-f-]{36}/);
  assert.match(stdout, /Live URL: http:\/\/127\.0\.0\.1:\d+\/live\//);
  assert.match(stdout, /status after terminate: terminated/);
  assert.match(stdout, /second terminate: 400 Session is already terminated/);
});

test("the hosted API's Run Single Action snippet runs with only the import changed", async () => {
  const { stdout, stderr, status } = await snippet(`
import os
from navis import Client as Dari

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
`);
  assert.equal(status, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 3, stdout);
  for (const line of lines) {
    assert.equal(line, "['cache_failed', 'credits', 'result', 'set_cache', 'success', 'used_cache'] True None");
  }
});

test('the first navis Python module’s names still work: Navis, Dari, NavisError and its status', async () => {
  const { stdout, stderr, status } = await snippet(`
from navis import Dari, Navis, NavisError
assert Navis is Dari
try:
    Dari(api_key="wrong").list_sessions()
except NavisError as error:
    print(error.status, error.detail)
`);
  assert.equal(status, 0, stderr);
  assert.equal(stdout.trim(), '401 Invalid API key');
});
