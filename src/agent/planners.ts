// Which planner plans natural-language actions: the built-in rule planner (default, no model) or
// the LLM planner, chosen by configuration (NAVIS_PLANNER).
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { llmPlannerFactory } from './llm/index.js';
import { rulePlannerFactory } from './rules/index.js';
import type { PlannerFactory } from './types.js';

export function plannerFactoryFrom(config: Config, log: Logger): PlannerFactory {
  if (config.planner === 'rules') return rulePlannerFactory;
  return llmPlannerFactory({
    provider: config.llmProvider,
    baseUrl: config.llmBaseUrl,
    model: config.llmModel!,
    apiKey: config.llmApiKey,
    timeoutMs: config.llmTimeoutMs,
    maxSteps: config.llmMaxSteps,
    log,
  });
}
