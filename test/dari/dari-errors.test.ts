// Every error the hosted product's Python client (dari-python, vendored unchanged) maps, provoked
// through one of its methods against a live navis (test/dari/errors.py). The client has one
// exception class, DariError: any HTTP status from 400 up becomes one, with status_code set and the
// body's `detail` as its message; a server it cannot reach becomes one without a status_code.
// Each status navis's /public routes answer to a client method is here, but 409 (a profile's lock:
// the client cannot send profile_id), 415 (it always sends JSON) and 503 (navis shutting down). A
// step that fails, times out or reads too much is `success: false` in a 200, not an error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { withBrokenPlanner } from '../helpers/broken-planner.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { assertDariError, runDari, type Raised } from './run.js';

const BODY_LIMIT = 65_536;

let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 1, bodyLimitBytes: BODY_LIMIT });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

/** What errors.py reported for `name`, the client using `otherKey` where the case needs a second tenant. */
const provoke = (name: string, otherKey?: string): Promise<any> =>
  runDari({ navis, fixtures }, 'errors.py', {
    args: [name],
    env: { BODY_LIMIT: String(BODY_LIMIT), ...(otherKey ? { OTHER_KEY: otherKey } : {}) },
  });

test('400: create_session with a ttl over 86400 raises DariError with the seed 001 detail', async () => {
  assertDariError(await provoke('bad_request'), 400, 'TTL cannot exceed 86400 seconds (24 hours)');
});

test('401: a wrong API key raises DariError "Invalid API key"', async () => {
  assertDariError(await provoke('unauthorized'), 401, 'Invalid API key');
});

test("403: a disabled tenant's key raises DariError saying the tenant is disabled", async () => {
  const key = await navis.newTenant('disabled');
  const tenantId = navis.navis.services.tenants.authenticate(key).tenantId;
  assert.equal((await navis.request('PATCH', `/admin/tenants/${tenantId}`, { body: { disabled: true } })).status, 200);
  assertDariError(
    await provoke('forbidden_disabled', key),
    403,
    'This API key belongs to a disabled tenant. Ask the admin to enable it (PATCH /admin/tenants/{id} {"disabled": false}).',
  );
});

test("403: run_single_action opening a page the tenant's network policy refuses raises DariError naming the host", async () => {
  const key = await navis.newTenant('public web only');
  assertDariError(
    await provoke('forbidden_egress', key),
    403,
    /^Navigation to http:\/\/127\.0\.0\.1:\d+\/sa-home\.html refused: .*does not allow private addresses/,
  );
});

test('404: get_session of an unknown id raises DariError "Session not found"', async () => {
  assertDariError(await provoke('not_found'), 404, 'Session not found');
});

test('410: run_single_action on a terminated session raises DariError saying it ended', async () => {
  assertDariError(
    await provoke('gone'),
    410,
    /^Session [0-9a-f-]{36} is terminated \(terminated_by_user\)\. Create a new session\.$/,
  );
});

test('413: a body over NAVIS_BODY_LIMIT_BYTES raises DariError saying it is too large', async () => {
  assertDariError(
    await provoke('too_large'),
    413,
    'Request body is too large. Send a smaller body (the limit is NAVIS_BODY_LIMIT_BYTES).',
  );
});

test("429: a create_session past the tenant's session limit raises DariError saying so", async () => {
  const key = await navis.newTenant('one session', { limits: { maxSessions: 1 } });
  assertDariError(
    await provoke('too_many', key),
    429,
    /^This tenant may run at most 1 sessions? at once\. Terminate a session you no longer need/,
  );
});

test('500: run_single_action whose planner breaks raises DariError with the seed 000 detail', async () => {
  const outcome = await withBrokenPlanner('dari-planner-bug', () => provoke('internal'));
  assertDariError(outcome, 500, 'Failed to run single action: internal error');
});

test('a server that cannot be reached raises DariError without a status_code', async () => {
  const outcome: Raised = await provoke('unreachable');
  assert.equal(outcome.raised, 'DariError');
  assert.equal(outcome.status_code, null);
  assert.match(outcome.message!, /Connection refused|Failed to establish a new connection/);
});

test('each method whose feature navis does not have (workflows, connected accounts, phone numbers) raises DariError, not something else', async () => {
  const outcomes: Record<string, Raised> = await provoke('hosted_only');
  assert.deepEqual(Object.keys(outcomes).sort(), [
    'get_execution_details',
    'list_connected_accounts',
    'list_phone_numbers',
    'list_workflow_executions',
    'purchase_phone_number',
    'resume_workflow',
    'start_workflow',
  ]);
  for (const [method, outcome] of Object.entries(outcomes)) {
    // resume_workflow sends no API key (its URL comes from a webhook): refused before any route is looked up.
    if (method === 'resume_workflow') assertDariError(outcome, 401, 'Invalid API key');
    else assertDariError(outcome, 404, /^No route (GET|POST) \/public\/\S+\. See \/docs for the API\.$/);
  }
});
