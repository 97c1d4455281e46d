// Runs one of the Python scenarios of test/dari against a navis under test with the vendored Dari
// client (test/dari/vendor, unchanged), and parses the JSON object the scenario reports.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, type TestNavis } from '../helpers/navis.js';
import { runPython } from '../helpers/python.js';

const HERE = import.meta.dirname;

/** What harness.raised reports: the DariError's class, status_code, message and parsed body, or what the call returned. */
export interface Raised {
  raised: string | null;
  status_code?: number | null;
  message?: string;
  body?: unknown;
  returned?: unknown;
}

export async function runDari(
  target: { navis: TestNavis; fixtures: FixtureServer },
  script: string,
  opts: { args?: string[]; env?: Record<string, string> } = {},
): Promise<any> {
  const { stdout, stderr, status } = await runPython([path.join(HERE, script), ...(opts.args ?? [])], {
    PYTHONPATH: path.join(HERE, 'vendor'),
    NAVIS_URL: target.navis.base,
    NAVIS_KEY: ADMIN_KEY,
    FIXTURES: target.fixtures.url,
    ...opts.env,
  });
  assert.equal(status, 0, `${script} failed:\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** Asserts that a client call raised DariError with this status_code and message, the body being `{"detail": message}`. */
export function assertDariError(outcome: Raised, status: number, message: string | RegExp): void {
  assert.equal(outcome.raised, 'DariError', JSON.stringify(outcome));
  assert.equal(outcome.status_code, status, JSON.stringify(outcome));
  if (typeof message === 'string') assert.equal(outcome.message, message);
  else assert.match(outcome.message!, message);
  assert.deepEqual(outcome.body, { detail: outcome.message });
}
