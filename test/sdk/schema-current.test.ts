// sdk/typescript/src/schema.ts is what `npm run sdk:generate` writes for today's routes: a route
// changed without regenerating fails here, with what to run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { SCHEMA_FILE, sdkSchema } from '../../scripts/generate-sdk.js';

test("the TypeScript SDK's schema.ts is generated from the current OpenAPI document", async () => {
  const expected = (await sdkSchema()).split('\n');
  const actual = fs.readFileSync(SCHEMA_FILE, 'utf8').split('\n');
  const line = expected.findIndex((text, i) => text !== actual[i]);
  const at = line === -1 ? Math.min(expected.length, actual.length) : line;
  assert.ok(
    line === -1 && expected.length === actual.length,
    `sdk/typescript/src/schema.ts is out of date: run \`npm run sdk:generate\` and commit the file.\n` +
      `First difference at line ${at + 1}:\n  generated: ${expected[at] ?? '(end)'}\n  checked in: ${actual[at] ?? '(end)'}`,
  );
});
