// The LLM planner's entry: builds a PlannerFactory for a model server from settings (see the
// NAVIS_LLM_* settings in config.ts). One client per factory, so what it learns about a server
// (that it refuses tool_choice 'required') holds for every run. The API key goes into request
// headers only: it is never logged, put in an error or returned.
import type { Logger } from 'pino';
import type { PlannerFactory } from '../types.js';
import { AnthropicClient } from './anthropic.js';
import type { ModelClient } from './client.js';
import { OpenAiClient } from './openai.js';
import { LlmPlanner } from './planner.js';

export type LlmProvider = 'openai' | 'anthropic';

export const DEFAULT_LLM_BASE_URL: Record<LlmProvider, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
};

export interface LlmPlannerFactoryOptions {
  provider: LlmProvider;
  /** Default: DEFAULT_LLM_BASE_URL of the provider. */
  baseUrl?: string;
  model: string;
  /** Local servers (Ollama, vLLM, LM Studio) need none. */
  apiKey?: string;
  timeoutMs: number;
  /** Planner turns one run may take. */
  maxSteps: number;
  /** Show the model a screenshot of the page with each turn (needs a vision model). Default false. */
  wantsScreenshot?: boolean;
  log?: Logger;
}

export function llmPlannerFactory(options: LlmPlannerFactoryOptions): PlannerFactory {
  if (!options.model) throw new Error('The LLM planner needs a model: set NAVIS_LLM_MODEL.');
  const settings = {
    baseUrl: options.baseUrl ?? DEFAULT_LLM_BASE_URL[options.provider],
    model: options.model,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs,
  };
  const client: ModelClient =
    options.provider === 'anthropic'
      ? new AnthropicClient(settings)
      : new OpenAiClient({ ...settings, log: options.log });
  return {
    create: () => new LlmPlanner({ client, maxSteps: options.maxSteps, wantsScreenshot: options.wantsScreenshot }),
  };
}
