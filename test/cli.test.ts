// The command line as a new user meets it: a navis that is not running is named by its address,
// with how to start it or point the CLI elsewhere, and a distinct exit code (3), never a bare
// "fetch failed".
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';

const CLI = path.join(import.meta.dirname, '..', 'src', 'cli.ts');

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a navis that is not running: the address, why, how to set it, exit code 3', async () => {
  const server = `http://127.0.0.1:${await closedPort()}`;
  const { stderr, code } = await new Promise<{ stderr: string; code: number }>((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, 'sites', 'export', path.join(import.meta.dirname, 'no-such-dir'), '--server', server],
      { encoding: 'utf8', timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    ),
  );
  assert.equal(code, 3, stderr);
  assert.match(stderr, new RegExp(`could not reach navis at ${server.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
  assert.match(stderr, /--server <url> or NAVIS_URL/);
  assert.doesNotMatch(stderr, /fetch failed/);
});
