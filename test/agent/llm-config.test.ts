// The LLM planner's settings: names, defaults, and the startup check for a missing model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SETTINGS, loadConfig } from '../../src/config.js';

test('the planner is the rule planner by default, with the LLM defaults in place', () => {
  const config = loadConfig({});
  assert.equal(config.planner, 'rules');
  assert.equal(config.llmProvider, 'openai');
  assert.equal(config.llmTimeoutMs, 60_000);
  assert.equal(config.llmMaxSteps, 25);
  assert.equal(config.llmApiKey, undefined);
});

test('the LLM planner without a model fails at startup naming NAVIS_LLM_MODEL', () => {
  assert.throws(() => loadConfig({ NAVIS_PLANNER: 'llm' }), /NAVIS_LLM_MODEL: required when NAVIS_PLANNER=llm/);
});

test('the LLM settings are read from their documented variables', () => {
  const config = loadConfig({
    NAVIS_PLANNER: 'llm',
    NAVIS_LLM_PROVIDER: 'anthropic',
    NAVIS_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
    NAVIS_LLM_MODEL: 'qwen2.5:7b',
    NAVIS_LLM_API_KEY: 'local-key',
    NAVIS_LLM_TIMEOUT_MS: '5000',
    NAVIS_LLM_MAX_STEPS: '10',
  });
  assert.deepEqual(
    [
      config.planner,
      config.llmProvider,
      config.llmBaseUrl,
      config.llmModel,
      config.llmApiKey,
      config.llmTimeoutMs,
      config.llmMaxSteps,
    ],
    ['llm', 'anthropic', 'http://127.0.0.1:11434/v1', 'qwen2.5:7b', 'local-key', 5000, 10],
  );
  for (const name of [
    'NAVIS_PLANNER',
    'NAVIS_LLM_PROVIDER',
    'NAVIS_LLM_BASE_URL',
    'NAVIS_LLM_MODEL',
    'NAVIS_LLM_API_KEY',
    'NAVIS_LLM_TIMEOUT_MS',
    'NAVIS_LLM_MAX_STEPS',
  ]) {
    assert.ok(Object.values(SETTINGS).includes(name), `${name} is not documented`);
  }
});
