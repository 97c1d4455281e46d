// Copying a profile that a saving session's Chromium is writing (a read-only session on a profile
// in use): files that shrink or vanish while they are copied must neither fail nor hang the copy.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const PROFILES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'sessions', 'profiles.ts');

test('a profile copy finishes while a journal in it is truncated and rewritten the whole time', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-copy-'));
  const source = path.join(root, 'profile');
  fs.mkdirSync(path.join(source, 'Default'), { recursive: true });
  const journal = path.join(source, 'Default', 'Cookies-journal');
  fs.writeFileSync(journal, Buffer.alloc(64 * 1024, 1));
  fs.writeFileSync(path.join(source, 'Default', 'Preferences'), '{"kept":true}');
  // Another process plays Chromium: the journal grows large and is truncated to nothing, over and
  // over, and is left empty at the end (fs.copyFileSync caught mid-copy by that spins forever).
  const writer = spawn(process.execPath, [
    '-e',
    `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(journal)}, 'r+');
    const hold = (ms) => { const until = Date.now() + ms; while (Date.now() < until); };
    for (let i = 0; i < 300; i++) { fs.ftruncateSync(fd, 64 * 1024 * 1024); hold(3); fs.ftruncateSync(fd, 0); hold(3); }`,
  ]);
  await new Promise((r) => setTimeout(r, 200)); // the writer is running
  try {
    // In a child with a deadline: a copy that spins would block this process's event loop for good.
    const copier = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { copyLiveDir } from ${JSON.stringify(PROFILES)}; for (let i = 0; i < 100; i++) copyLiveDir(${JSON.stringify(source)}, ${JSON.stringify(root)} + '/copy-' + (i % 2));`,
      ],
      { timeout: 60_000, encoding: 'utf8' },
    );
    assert.equal(copier.signal, null, `the copy did not finish in time (killed by ${copier.signal})`);
    assert.equal(copier.status, 0, copier.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'copy-1', 'Default', 'Preferences'), 'utf8'), '{"kept":true}');
  } finally {
    writer.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
