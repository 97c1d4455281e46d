// Discovered actions are tried once (issue: "discovery runs each non-destructive action once and
// marks actions whose steps fail"): a fresh page, the state's URL with the templates of the page
// the action was found on, then its steps with sample inputs through the one action executor.
// Destructive actions and those that need an uploaded file are not run.
import type { NavigationGuard } from '../../network/guard.js';
import type { Logger } from 'pino';
import { detachedContext } from '../../actions/context.js';
import { runActions, StepError } from '../../actions/executor.js';
import type { Action } from '../../actions/schemas.js';
import { fillSteps } from '../../actions/templates.js';
import { siteStepName, stateStart, stateUrl } from '../inputs.js';
import type { PageOpener } from './crawl.js';
import type { DraftState } from './types.js';

const MAX_ERROR = 500;

export interface VerifyOptions {
  baseUrl: string;
  /** The tenant's schemes and network policy, for every page the check opens. */
  guard: NavigationGuard;
  /** Each step's deadline while verifying (a step's own, when shorter). */
  stepTimeoutMs: number;
  /** Epoch ms: no action starts after it. */
  deadline: number;
  signal?: AbortSignal;
  onAction(message: string): void;
}

export interface VerifyCounts {
  verified: number;
  failed: number;
  /** Destructive or needing a file. */
  notRun: number;
  /** Not tried because discovery's deadline had passed. */
  pastDeadline: number;
}

export async function verifyActions(
  openPage: PageOpener,
  log: Logger,
  states: DraftState[],
  opts: VerifyOptions,
): Promise<VerifyCounts> {
  const counts: VerifyCounts = { verified: 0, failed: 0, notRun: 0, pastDeadline: 0 };
  for (const state of states) {
    for (const draft of state.actions) {
      opts.signal?.throwIfAborted();
      const { action } = draft;
      if (action.destructive || draft.needsFile) {
        counts.notRun++;
        continue;
      }
      if (Date.now() >= opts.deadline) {
        counts.pastDeadline++;
        continue;
      }
      const at = new Date().toISOString();
      const error = await tryOnce(openPage, log, state.state.url, draft.samples, action.steps, opts);
      action.verified = error === undefined ? { ok: true, at } : { ok: false, at, error: error.slice(0, MAX_ERROR) };
      counts[error === undefined ? 'verified' : 'failed']++;
      opts.onAction(
        `${state.state.name}.${action.name}: ${error === undefined ? 'ok' : `failed (${error.split('\n')[0].slice(0, 200)})`}`,
      );
    }
  }
  return counts;
}

/** Runs the steps once on a fresh page; the error message, or undefined when every step passed. */
async function tryOnce(
  openPage: PageOpener,
  log: Logger,
  urlTemplate: string,
  samples: Record<string, string>,
  steps: Action[],
  opts: VerifyOptions,
): Promise<string | undefined> {
  const opened = await openPage();
  const closeOnAbort = () => void opened.close().catch(() => {});
  opts.signal?.addEventListener('abort', closeOnAbort, { once: true });
  const ctx = detachedContext(opened.page, opts.guard, log, 'discovery does not run it while checking an action');
  let url = urlTemplate; // filled in the try: a template that makes no URL is this action failing
  try {
    // As the manifest runner does (seed 002 steps 4-6): the state URL, a settled DOM, then the steps.
    url = stateUrl(urlTemplate, opts.baseUrl, samples);
    const bounded = fillSteps(steps, samples).map((step) => ({
      ...step,
      timeoutMs: Math.min(step.timeoutMs ?? opts.stepTimeoutMs, opts.stepTimeoutMs),
    }));
    await runActions(ctx, bounded, { start: stateStart(url) });
    return undefined;
  } catch (error) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (!(error instanceof StepError)) return (error as Error).message;
    return error.describe(siteStepName(url));
  } finally {
    opts.signal?.removeEventListener('abort', closeOnAbort);
    await opened.close().catch(() => {});
  }
}
