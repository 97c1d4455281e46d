// THE action executor: runs a list of typed steps on a page, one after another, each with its own
// deadline, keeping a step log. The first failing step stops the run with a typed error that
// carries its index, the step log and the results of the steps before it.
import type { Logger } from 'pino';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { NavigationGuard } from '../network/guard.js';
import type { AnswerBudget } from './answer.js';
import { browserMessage } from './browser-errors.js';
import { inputHandlers } from './input-actions.js';
import { selectorFailure, waitFailure } from './locate.js';
import { pageHandlers } from './page-actions.js';
import { DEFAULT_ACTION_TIMEOUT_MS, type Action, type ActionOf, type ActionType } from './schemas.js';

export interface StepLogEntry {
  index: number;
  type: ActionType;
  status: 'ok' | 'failed';
  startedAt: string;
  durationMs: number;
  /** What the step waited for or did, in words (never a typed value). */
  detail?: string;
  error?: string;
}

export type ActionResult = Record<string, unknown>;

/** What an action may use besides the page. Services that a step needs are passed in, not imported. */
export interface ActionContext {
  page: Page;
  log: Logger;
  /** The absolute path of a file uploaded to the session (uploadFile). */
  resolveFile(filename: string): string;
  /** false: leave element descriptions out of results (callers that only need the outcome). */
  describeElements?: boolean;
  /** Runs an authenticate step (vault, prompt_user). */
  authenticate(action: ActionOf<'authenticate'>, step: StepContext): Promise<ActionResult>;
  /** Checks every URL a step opens against the tenant's schemes and network policy (actions/navigate.ts). */
  guard: NavigationGuard;
  /** The whole run's deadline (epoch ms, NAVIS_MAX_TASK_MS): no step runs past it. */
  runDeadline?: number;
  /** Aborted when the client went away: no further step starts. */
  signal?: AbortSignal;
  /**
   * What the answer being built may still carry (one per answer, shared with its artifacts).
   * Without one, each step gets the default caps (DEFAULT_ANSWER_LIMITS) for itself alone.
   */
  answer?: AnswerBudget;
}

/** One step's view: its deadline and a place to say what it is doing. */
export interface StepContext extends ActionContext {
  index: number;
  timeoutMs: number;
  deadline: number;
  /** Milliseconds left before the step's deadline (at least 1). */
  remainingMs(): number;
  note(detail: string): void;
}

export type ActionHandler<K extends ActionType> = (action: ActionOf<K>, step: StepContext) => Promise<ActionResult>;
export type HandlerTable = { [K in ActionType]: ActionHandler<K> };

const handlers: HandlerTable = {
  ...pageHandlers,
  ...inputHandlers,
  authenticate: (action, step) => step.authenticate(action, step),
};

export interface RunResult {
  results: ActionResult[];
  stepLog: StepLogEntry[];
}

export async function runActions(ctx: ActionContext, actions: Action[], opts: { indexOffset?: number } = {}): Promise<RunResult> {
  const results: ActionResult[] = [];
  const stepLog: StepLogEntry[] = [];
  for (const [i, action] of actions.entries()) {
    const index = i + (opts.indexOffset ?? 0);
    const started = Date.now();
    const runLeft = ctx.runDeadline === undefined ? Infinity : ctx.runDeadline - started;
    const asked = action.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
    const timeoutMs = Math.max(1, Math.min(asked, runLeft));
    const stopped = ctx.signal?.aborted ? cancelled() : runLeft <= 0 ? pastRunDeadline(ctx.runDeadline!) : undefined;
    if (stopped) {
      stepLog.push({ index, type: action.type, status: 'failed', startedAt: new Date(started).toISOString(), durationMs: 0, error: stopped.message });
      throw new NavisError(stopped.code, `actions[${index}] (${action.type}) did not run: ${stopped.message}`, { failedActionIndex: index, stepLog, actionResults: results });
    }
    const entry: StepLogEntry = { index, type: action.type, status: 'ok', startedAt: new Date(started).toISOString(), durationMs: 0 };
    stepLog.push(entry);
    const step: StepContext = {
      ...ctx,
      index,
      timeoutMs,
      deadline: started + timeoutMs,
      remainingMs: () => Math.max(1, started + timeoutMs - Date.now()),
      note: (detail) => {
        entry.detail = detail;
      },
    };
    try {
      const handler = handlers[action.type] as ActionHandler<typeof action.type>;
      results.push(await handler(action as never, step));
      entry.durationMs = Date.now() - started;
    } catch (error) {
      const explained = await explainedBySelector(error, action, timeoutMs, ctx.page);
      entry.durationMs = Date.now() - started;
      entry.status = 'failed';
      const cut = timeoutMs < asked && (error as Error)?.name === 'TimeoutError' ? pastRunDeadline(ctx.runDeadline!) : undefined;
      const failure = cut ? new NavisError(cut.code, `actions[${index}] (${action.type}): ${cut.message}`) : translateActionError(explained ?? error, index, action, timeoutMs, ctx.page);
      entry.error = failure.message;
      ctx.log.info({ index, type: action.type, code: failure.code }, 'action failed');
      throw new NavisError(failure.code, failure.message, { ...failure.details, failedActionIndex: index, stepLog, actionResults: results }, { cause: error });
    }
  }
  return { results, stepLog };
}

const cancelled = () => new NavisError('CANCELLED', 'the client went away before it ran');

/** The whole run is past NAVIS_MAX_TASK_MS (its steps' own timeouts are cut to what is left of it). */
export function pastRunDeadline(deadline: number): NavisError {
  return new NavisError('ACTION_TIMEOUT', `the run reached its deadline (NAVIS_MAX_TASK_MS, at ${new Date(deadline).toISOString()}). Split the work over several requests, or ask the operator to raise NAVIS_MAX_TASK_MS.`);
}

/**
 * A step on an element that failed, told by its selector (locate.ts): a timeout is a 404
 * (SELECTOR_NOT_FOUND) when it matched nothing, or a 408 saying what the element it matched lacked
 * (hidden, disabled); a selector the page refuses is a 400. A wait step's timeout stays a 408
 * (waiting is its point), saying what was there when it gave up.
 */
async function explainedBySelector(error: unknown, action: Action, timeoutMs: number, page: Page): Promise<NavisError | undefined> {
  if (error instanceof NavisError || page.isClosed()) return undefined;
  if (action.type === 'wait' && (error as Error)?.name === 'TimeoutError') {
    const what = action.selector !== undefined ? { selector: action.selector } : { text: action.text! };
    return waitFailure(page, what, action.selector !== undefined ? (action.state ?? 'visible') : 'visible', timeoutMs);
  }
  const selector = 'selector' in action ? action.selector : undefined;
  if (typeof selector !== 'string') return undefined;
  return selectorFailure(page, selector, action.type, error, timeoutMs);
}

/**
 * Turns what a browser call threw into a typed error, by type (Playwright's TimeoutError and
 * TargetClosedError), never by message text.
 */
export function translateBrowserError(error: unknown, page: Page): NavisError {
  if (error instanceof NavisError) return error;
  const err = error as Error;
  const firstLines = browserMessage(error);
  if (err?.name === 'TimeoutError') return new NavisError('ACTION_TIMEOUT', firstLines);
  if (err?.name === 'TargetClosedError' || page.isClosed()) {
    return new NavisError('BROWSER_GONE', `the page or browser closed while the action ran (${firstLines}). Check the session; create a new one if it ended.`);
  }
  return new NavisError('ACTION_FAILED', firstLines, undefined, { cause: error });
}

/** translateBrowserError, with the step named in the message (and a hint on timeouts). */
export function translateActionError(error: unknown, index: number, action: Action, timeoutMs: number, page: Page): NavisError {
  const typed = translateBrowserError(error, page);
  const where = `actions[${index}] (${action.type})`;
  const fromBrowser = !(error instanceof NavisError);
  if (typed.code === 'ACTION_TIMEOUT' && fromBrowser) {
    return new NavisError(typed.code, `${where}: timed out after ${timeoutMs} ms: ${typed.message}. Raise timeoutMs or add a wait step before it.`);
  }
  if (typed.code === 'ACTION_FAILED' && fromBrowser) return new NavisError(typed.code, `${where} failed: ${typed.message}`);
  return new NavisError(typed.code, `${where}: ${typed.message}`, typed.details);
}
