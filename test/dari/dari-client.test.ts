// The hosted product's own Python client (dari-python, vendored unchanged in test/dari/vendor) runs
// against a live navis: sessions, browser profiles, Run Single Action with variables and the step
// cache, an action without a session, and credentials. Each Python scenario (test/dari/*.py)
// reports what the client returned or raised; this file checks it. The errors the client maps are
// in dari-errors.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { assertDariError, runDari } from './run.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEED_001_FIELDS = [
  'session_id',
  'cdp_url',
  'screen_config',
  'status',
  'expires_at',
  'metadata',
  'profile_id',
  'persist_changes',
  'created_at',
  'updated_at',
];
const SEED_000_FIELDS = ['success', 'result', 'credits', 'used_cache', 'set_cache', 'cache_failed'];

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

describe('session management (sessions.py)', () => {
  let out: Record<string, any>;
  before(async () => {
    out = await runDari({ navis, fixtures }, 'sessions.py');
  });

  test('create_session answers every seed 001 field with the screen_config, ttl and metadata sent', () => {
    for (const field of SEED_001_FIELDS) assert.ok(field in out.created, field);
    assert.match(out.created.session_id, UUID);
    assert.deepEqual(out.created.screen_config, { width: 1440, height: 900 });
    assert.equal(out.created.status, 'active');
    assert.equal(Date.parse(out.created.expires_at) - Date.parse(out.created.created_at), 3_600_000);
    const { live_url, ...metadata } = out.created.metadata;
    assert.deepEqual(metadata, { purpose: 'dari', user: 'john' });
    assert.ok(live_url.startsWith(`${navis.base}/live/${out.created.session_id}?token=`), live_url);
  });

  test('get_session answers the same session', () => {
    assert.deepEqual(out.got, out.created);
  });

  test('list_sessions with status_filter, limit and offset, and without arguments, lists it', () => {
    assert.deepEqual(out.active, { sessions: [out.created], total: 1 });
    assert.deepEqual(out.unfiltered, { sessions: [out.created], total: 1 });
  });

  test('update_session merges metadata into the existing metadata', () => {
    assert.deepEqual(out.merged.metadata, {
      purpose: 'dari',
      user: 'jane',
      step: 2,
      live_url: out.created.metadata.live_url,
    });
  });

  test('update_session with a shorter ttl moves expires_at; a longer one raises DariError 400: sessions cannot be extended', () => {
    assert.equal(Date.parse(out.shortened.expires_at) - Date.parse(out.created.created_at), 1_800_000);
    assert.equal(out.shortened.metadata.step, 2);
    assertDariError(
      out.extended,
      400,
      "Sessions cannot be extended: this session's ttl is 1800 seconds. Create a new session with a longer ttl instead.",
    );
  });

  test('terminate_session returns None and the session shows terminated; a second raises DariError 400 "Session is already terminated"', () => {
    assert.equal(out.terminated, null);
    assert.equal(out.after_terminate.status, 'terminated');
    assert.equal(out.after_terminate.end_reason, 'terminated_by_user');
    assertDariError(out.terminated_again, 400, 'Session is already terminated');
    assert.deepEqual(
      out.terminated_list.sessions.map((s: any) => s.session_id),
      [out.created.session_id],
    );
  });

  test('delete_session returns None; then get_session and delete_session raise DariError 404 "Session not found"', () => {
    assert.equal(out.deleted, null);
    assertDariError(out.after_delete, 404, 'Session not found');
    assertDariError(out.deleted_again, 404, 'Session not found');
  });

  test('the client works as a context manager', () => {
    assert.equal(out.via_context_manager, 0);
  });
});

describe('browser profiles (profiles.py)', () => {
  test('create_browser_profile answers id, name and created_at (provider is accepted), and list_browser_profiles lists both', async () => {
    const out = await runDari({ navis, fixtures }, 'profiles.py');
    for (const profile of [out.created, out.with_provider]) {
      assert.deepEqual(Object.keys(profile).sort(), ['created_at', 'id', 'name']);
      assert.match(profile.id, UUID);
    }
    assert.equal(out.created.name, 'dari work');
    assert.equal(out.with_provider.name, 'dari kernel');
    assert.deepEqual(out.listed, { profiles: [out.created, out.with_provider] });
  });
});

describe('Run Single Action (single_actions.py)', () => {
  let out: Record<string, any>;
  before(async () => {
    out = await runDari({ navis, fixtures }, 'single_actions.py');
  });

  test('every run answers the seed 000 fields and succeeds', () => {
    for (const run of [out.open, out.navigate, out.first, out.replay, ...out.uncached, out.implicit]) {
      for (const field of SEED_000_FIELDS) assert.ok(field in run, `${field} in ${JSON.stringify(run)}`);
      assert.equal(run.success, true, run.error);
    }
  });

  test('variables fill {{name}} in the action and the step is cached under its id', () => {
    assert.deepEqual([out.first.used_cache, out.first.set_cache, out.first.cache_failed], [false, true, false]);
    assert.match(out.first_page, /Meeting scheduled: Internal sync on 2026-11-24 at 15:00/);
  });

  test('the same id again replays from the cache with the new variables, at no credit', () => {
    assert.deepEqual(
      [out.replay.used_cache, out.replay.set_cache, out.replay.cache_failed, out.replay.credits],
      [true, false, false, 0],
    );
    assert.match(out.replay_page, /Meeting scheduled: Quarterly review on 2026-12-01 at 15:00/);
  });

  test('set_cache=False never stores the step: the second run plans again', () => {
    for (const run of out.uncached) assert.deepEqual([run.used_cache, run.set_cache], [false, false]);
  });

  test('without session_id a 10-minute session of the screen_config sent is made, and its id answered', () => {
    assert.match(out.implicit.session_id, UUID);
    assert.equal(out.implicit_session.ttl, 600);
    assert.deepEqual(out.implicit_session.screen_config, { width: 1024, height: 768 });
  });
});

describe('credentials (credentials.py)', () => {
  const ACCOUNT = {
    ACCOUNT_USERNAME: 'dari-user-3Fj@example.test',
    ACCOUNT_PASSWORD: 'dari-pass-Wq8!zN',
    ACCOUNT_TOTP: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  };
  let out: Record<string, any>;
  let stdout: string;
  before(async () => {
    out = await runDari({ navis, fixtures }, 'credentials.py', { env: ACCOUNT });
    stdout = JSON.stringify(out);
  });

  test('create_credential answers the credential with its id, bound to the host service_name names', () => {
    assert.match(out.created.id, UUID);
    assert.equal(out.created.service_name, '127.0.0.1');
    assert.deepEqual(out.created.allowed_domains, ['127.0.0.1']);
    assert.equal(out.created.has_totp, true);
    assert.equal(out.created.username_or_email, null);
  });

  test("list_credentials answers a list, and the docs' loop over it runs", () => {
    assert.deepEqual(out.listed, [out.created, out.plain]);
    assert.deepEqual(out.docs_loop, ['Found 2 credentials', '- 127.0.0.1: None', '- login.example.com: None']);
  });

  test('the credential is in the vault of /browser/credentials with its secrets', async () => {
    const res = await navis.request('GET', `/browser/credentials/${out.created.id}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, '127.0.0.1');
    const revealed = navis.navis.services.vault.reveal(
      navis.navis.services.tenants.authenticate(ADMIN_KEY).tenantId,
      out.created.id,
    );
    assert.deepEqual([revealed.username, revealed.password], [ACCOUNT.ACCOUNT_USERNAME, ACCOUNT.ACCOUNT_PASSWORD]);
  });

  test('a service_name that is not a host, gmail_oauth_account_id, phone_number_id, or no password raise DariError 400 saying why', () => {
    assertDariError(out.not_a_host, 400, /^Invalid request body: service_name "Gmail" is not a host name/);
    assertDariError(
      out.gmail_oauth,
      400,
      "Invalid request body: field 'gmail_oauth_account_id': navis has no connected Gmail accounts; leave it out",
    );
    assertDariError(
      out.phone_number,
      400,
      /^Invalid request body: field 'phone_number_id': navis has no phone numbers/,
    );
    assertDariError(out.no_password, 400, "Invalid request body: field 'password': is required (expected string)");
  });

  test('neither what the client got back nor the log holds the username, password or TOTP secret', () => {
    for (const secret of Object.values(ACCOUNT)) {
      assert.equal(stdout.includes(secret), false, `the client got ${secret}`);
      assert.equal(
        navis.logs.some((line) => line.includes(secret)),
        false,
        `a log line holds ${secret}`,
      );
    }
  });
});
