// THE action executor: runs a list of typed steps on a page, one after another, each with its own
// deadline, keeping a step log. A run may start with a start URL (a task's `url`, a site state's
// URL): an ordinary navigate step, logged with index null. The first failing step stops the run
// with a StepError that says which step failed and why ({index, type, code, reason}); each
// dialect names the step its own way (`actions[2]`, `steps[2]`) from those fields. A step given
// a `target` instead of a `selector` has it resolved to a selector before its handler runs. No step
// outlives its deadline by more than a second, whatever page call it waits on (authenticate bounds
// its own, longer one), and one that ran out of time leaves no page held for the next: the page is
// freed first (page-recovery.ts).
import { hasCrashed, type Page } from '../browsers/playwright.js';
import { NavisError, type ErrorCode } from '../errors.js';
import { browserMessage, pageCrashed } from './browser-errors.js';
import { inputHandlers } from './input-actions.js';
import { selectorFailure, waitFailure } from './locate.js';
import { pageHandlers } from './page-actions.js';
import { describeHold, freePage, readyToFree } from './page-recovery.js';
import { withDeadline } from '../browsers/deadline.js';
import { DEFAULT_ACTION_TIMEOUT_MS, type Action, type ActionOf, type ActionType } from './schemas.js';
import {
  RunDeadlineError,
  withinRun,
  type ActionContext,
  type ActionHandler,
  type ActionResult,
  type HandlerTable,
  type LocatedAction,
  type StepContext,
} from './context.js';
import { describeTarget, resolveTarget, TARGET_FIND_MS, TargetMissing } from './targets.js';

export interface StepLogEntry {
  /** The step's index in the caller's list; null for the run's start URL. */
  index: number | null;
  type: ActionType;
  status: 'ok' | 'failed';
  startedAt: string;
  durationMs: number;
  /** What the step waited for or did, in words (never a typed value). */
  detail?: string;
  error?: string;
}

const handlers: HandlerTable = {
  ...pageHandlers,
  ...inputHandlers,
  authenticate: (action, step) => step.authenticate(action, step),
};

export interface RunResult {
  /** One per step of the list (the start URL's is not among them). */
  results: ActionResult[];
  stepLog: StepLogEntry[];
}

/** Which step of a run failed and why, for each dialect to word (stepName, StepError). */
export interface FailedStep {
  /** The step's index in the caller's list; null for the run's start URL. */
  index: number | null;
  type: ActionType;
  code: ErrorCode;
  /** What went wrong, without the step's name. */
  reason: string;
  /** The step's target was not found, or was not the same element (actions/targets.ts TargetMissing). */
  targetMissing?: true;
}

/** How a dialect names a step: tasks `actions[2] (click)`, site actions `steps[2] (click)`. */
export type StepNamer = (step: Pick<FailedStep, 'index' | 'type'>) => string;

/** Run Task's names (seed 003): `actions[i] (type)`, and `url` for the task's own URL. */
export const taskStepName: StepNamer = ({ index, type }) => (index === null ? 'url' : `actions[${index}] (${type})`);

/** The first failing step of a run; `details` carries the step log and the results before it. */
export class StepError extends NavisError {
  constructor(
    readonly failure: FailedStep,
    run: RunResult,
    cause: unknown,
    /** What the failure's own error carried (the refused URL, the selector). */
    extra?: Record<string, unknown>,
  ) {
    super(
      failure.code,
      `${taskStepName(failure)}: ${failure.reason}`,
      { ...extra, failedActionIndex: failure.index, stepLog: run.stepLog, actionResults: run.results },
      { cause },
    );
  }

  /** The failure worded for a dialect: `${name}: ${reason}`. */
  describe(name: StepNamer): string {
    return `${name(this.failure)}: ${this.failure.reason}`;
  }
}

/** How long a run's start URL may take to load (a browser's own patience, not an action's 10 s). */
export const START_URL_TIMEOUT_MS = 30_000;

/** A run's start URL as a navigate step. */
export function startAt(
  url: string,
  opts: Pick<ActionOf<'navigate'>, 'waitUntil' | 'settle' | 'failOnHttpError'> = {},
): ActionOf<'navigate'> {
  return { type: 'navigate', url, timeoutMs: START_URL_TIMEOUT_MS, ...opts };
}

export interface RunOptions {
  /** The run's start URL as a navigate step (logged with index null, no entry in results). */
  start?: ActionOf<'navigate'>;
}

export async function runActions(ctx: ActionContext, actions: Action[], opts: RunOptions = {}): Promise<RunResult> {
  const run: RunResult = { results: [], stepLog: [] };
  await readyToFree(ctx.page); // before any step: a step may leave the page busy
  const steps: Array<[number | null, Action]> = [
    ...(opts.start ? [[null, opts.start] as [null, Action]] : []),
    ...actions.entries(),
  ];
  for (const [index, action] of steps) {
    const result = await runStep(ctx, action, index, run);
    if (index !== null) run.results.push(result);
  }
  return run;
}

/** One step with its deadline, logged in `run`; a StepError when it fails. */
async function runStep(
  ctx: ActionContext,
  action: Action,
  index: number | null,
  run: RunResult,
): Promise<ActionResult> {
  const started = Date.now();
  const runLeft = ctx.runDeadline === undefined ? Infinity : ctx.runDeadline - started;
  const asked = action.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
  const timeoutMs = withinRun(ctx, asked, started);
  const entry: StepLogEntry = {
    index,
    type: action.type,
    status: 'ok',
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
  };
  run.stepLog.push(entry);
  const fail = (code: ErrorCode, reason: string, cause: unknown, extra?: Record<string, unknown>) => {
    entry.durationMs = Date.now() - started;
    entry.status = 'failed';
    entry.error = reason;
    ctx.log.info({ index, type: action.type, code }, 'action failed');
    const targetMissing = cause instanceof TargetMissing ? { targetMissing: true as const } : {};
    return new StepError({ index, type: action.type, code, reason, ...targetMissing }, run, cause, extra);
  };
  const stopped = ctx.signal?.aborted ? cancelled() : runLeft <= 0 ? pastRunDeadline(ctx.runDeadline!) : undefined;
  if (stopped) throw fail(stopped.code, `did not run: ${stopped.message}`, undefined);
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
  let located: LocatedAction<ActionType> = action as LocatedAction<ActionType>;
  try {
    const handler = handlers[action.type] as ActionHandler<ActionType>;
    const work = (async () => {
      located = await locateTarget(action, step);
      return handler(located, step);
    })();
    const result = await withinStep(work, action, step);
    entry.durationMs = Date.now() - started;
    return result;
  } catch (error) {
    const timedOut =
      (error as Error)?.name === 'TimeoutError' || (error instanceof NavisError && error.code === 'ACTION_TIMEOUT');
    // A page left busy or waiting for a navigation would block the next step or task: free it first.
    const held = timedOut ? describeHold(await freePage(ctx.page), ctx.page) : '';
    const typed = actionError(
      error,
      timeoutMs,
      ctx.page,
      await explainedBySelector(error, located, timeoutMs, ctx.page),
      index !== null && !held,
    );
    const reason = held ? `${typed.message.replace(/\.$/, '')}; ${held}.` : typed.message;
    // A step whose deadline the run's cut short and that ran out of time failed for the run's deadline.
    if (timeoutMs < asked && timedOut && !(error instanceof RunDeadlineError)) {
      const cut = pastRunDeadline(ctx.runDeadline!).message;
      throw fail('ACTION_TIMEOUT', `${cut[0].toUpperCase()}${cut.slice(1)} The step was cut short: ${reason}`, error);
    }
    throw fail(typed.code, reason, error, typed.details);
  }
}

/** How long past its deadline a step's handler may take to report its own timeout before the executor does. */
const STEP_GRACE_MS = 1000;

/**
 * The handler's work, failing with 408 when it outlasts the step's deadline by STEP_GRACE_MS: a
 * backstop for a page call with no timeout of its own, so that no page leaves a run waiting for
 * good. authenticate bounds itself: its deadline stretches to its success.timeoutMs or
 * pauseTimeoutMs (vault/authenticate.ts).
 */
function withinStep(work: Promise<ActionResult>, action: Action, step: StepContext): Promise<ActionResult> {
  if (action.type === 'authenticate') return work;
  const ms = Math.max(1, step.deadline - Date.now()) + STEP_GRACE_MS;
  return withDeadline(work, ms, `timed out after ${step.timeoutMs} ms (the page did not answer)`);
}

/** The action with its target (if any) resolved to a selector, within the step's deadline. */
async function locateTarget(action: Action, step: StepContext): Promise<LocatedAction<ActionType>> {
  if (!('target' in action) || !action.target) return action as LocatedAction<ActionType>;
  const { target, ...rest } = action;
  step.note(`find ${describeTarget(target)}`);
  const selector = await resolveTarget(step.page, target, {
    timeoutMs: Math.min(TARGET_FIND_MS, step.remainingMs()),
    verify: step.verifyTargets ?? false,
  });
  return { ...rest, selector };
}

const cancelled = () => new NavisError('CANCELLED', 'the client went away before it ran');

/** The whole run is past NAVIS_MAX_TASK_MS (its steps' own timeouts are cut to what is left of it). */
export function pastRunDeadline(deadline: number): RunDeadlineError {
  return new RunDeadlineError(
    `the run reached its deadline (NAVIS_MAX_TASK_MS, at ${new Date(deadline).toISOString()}). Split the work over several requests, or ask the operator to raise NAVIS_MAX_TASK_MS.`,
  );
}

/**
 * A step on an element that failed, told by its selector (locate.ts): a timeout is a 404
 * (SELECTOR_NOT_FOUND) when it matched nothing, or a 408 saying what the element it matched lacked
 * (hidden, disabled); a selector the page refuses is a 400. A wait step's timeout stays a 408
 * (waiting is its point), saying what was there when it gave up.
 */
async function explainedBySelector(
  error: unknown,
  action: LocatedAction<ActionType>,
  timeoutMs: number,
  page: Page,
): Promise<NavisError | undefined> {
  if (error instanceof NavisError || page.isClosed() || hasCrashed(page)) return undefined;
  if (action.type === 'wait') {
    if ((error as Error)?.name !== 'TimeoutError' || (action.selector === undefined && action.text === undefined))
      return undefined;
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
  if (hasCrashed(page)) return pageCrashed(false);
  const err = error as Error;
  const firstLines = browserMessage(error);
  if (err?.name === 'TimeoutError') return new NavisError('ACTION_TIMEOUT', firstLines);
  if (err?.name === 'TargetClosedError' || page.isClosed()) {
    return new NavisError(
      'BROWSER_GONE',
      `the page or browser closed while the action ran (${firstLines}). Check the session; create a new one if it ended.`,
    );
  }
  return new NavisError('ACTION_FAILED', firstLines, undefined, { cause: error });
}

/** translateBrowserError for a step: the reason it failed, worded for the caller to act on (a hint on timeouts). */
function actionError(
  error: unknown,
  timeoutMs: number,
  page: Page,
  notFound: NavisError | undefined,
  hint: boolean,
): NavisError {
  const typed = translateBrowserError(notFound ?? error, page);
  const fromBrowser = !notFound && !(error instanceof NavisError);
  if (typed.code === 'ACTION_TIMEOUT' && fromBrowser) {
    return new NavisError(
      typed.code,
      `timed out after ${timeoutMs} ms: ${typed.message}${hint ? '. Raise timeoutMs or add a wait step before it.' : ''}`,
    );
  }
  return typed;
}
