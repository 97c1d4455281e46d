// Keeps the import direction of STYLE.md honest: api/ → core folders → browsers/, store/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const SRC = path.join(import.meta.dirname, '..', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

test('route files never import playwright-core, better-sqlite3, the store or the browsers', () => {
  const offenders = filesUnder(path.join(SRC, 'api')).flatMap((file) =>
    importsOf(file)
      .filter((spec) => /^(playwright-core|better-sqlite3)$/.test(spec) || /\/(store|browsers)\//.test(spec))
      .map((spec) => `${path.relative(SRC, file)} imports ${spec}`),
  );
  assert.deepEqual(offenders, []);
});

test('browsers and store never import from the core folders or the api', () => {
  const lower = [...filesUnder(path.join(SRC, 'browsers')), ...filesUnder(path.join(SRC, 'store'))];
  const offenders = lower.flatMap((file) =>
    importsOf(file)
      .filter((spec) => /^\.\.\/(api|sessions|tenants|actions|tasks|vault|agent|sites)\//.test(spec))
      .map((spec) => `${path.relative(SRC, file)} imports ${spec}`),
  );
  assert.deepEqual(offenders, []);
});

test('only config.ts reads process.env', () => {
  const readers = filesUnder(SRC)
    .filter((file) => !file.endsWith('config.ts'))
    .filter((file) => /process\.env\b/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(SRC, file));
  assert.deepEqual(readers, []);
});
