// What every step of a run may use besides its page, and how a step's handler is shaped. Kept apart
// from the executor (executor.ts) so that the handlers (page-actions.ts, input-actions.ts) and the
// services that build contexts (sessions/work.ts, vault/authenticate.ts) depend on these types only.
import type { Logger } from 'pino';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { NavigationGuard } from '../network/guard.js';
import type { AnswerBudget } from './answer.js';
import type { ActionOf, ActionType } from './schemas.js';
import type { SettleOptions } from './settle.js';

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
  /** How a navigate step with `settle: true` waits for its page (NAVIS_SITE_SETTLE_*). */
  settle?: SettleOptions;
  /**
   * A step's `target` must still have its role and name (a replayed natural-language step): an
   * element that changed fails the step (targetMissing) instead of being acted on.
   */
  verifyTargets?: boolean;
}

/** Where uploaded session files are (see tasks/files.ts). */
export interface FileLocator {
  pathOf(sessionId: string, filename: string): string;
}

/** Runs authenticate steps on a session (see vault/authenticate.ts); bound per run into ActionContext.authenticate. */
export interface Authenticator<Session> {
  authenticate(
    session: Session,
    tenantId: string,
    action: ActionOf<'authenticate'>,
    step: StepContext,
  ): Promise<ActionResult>;
}

/** One step's view: its deadline and a place to say what it is doing. */
export interface StepContext extends ActionContext {
  index: number | null;
  timeoutMs: number;
  deadline: number;
  /** Milliseconds left before the step's deadline (at least 1). */
  remainingMs(): number;
  note(detail: string): void;
}

/**
 * The context of a page that belongs to no session (a site action without ?session_id=, discovery
 * checking an action): uploadFile and authenticate need a session, and say so.
 */
export function detachedContext(page: Page, guard: NavigationGuard, log: Logger, hint: string): ActionContext {
  const needsSession = (what: string) => new NavisError('INVALID_REQUEST', `${what} needs a session: ${hint}.`);
  return {
    page,
    log,
    guard,
    resolveFile: (filename) => {
      throw needsSession(`uploadFile (${filename})`);
    },
    authenticate: async () => {
      throw needsSession('authenticate');
    },
  };
}

/** Steps that act on one element: given a target, they still need a selector once it is resolved. */
type OnElement = 'type' | 'select' | 'check' | 'hover' | 'focus';

/** An action as its handler gets it: its target, if it had one, resolved to a selector. */
export type LocatedAction<K extends ActionType> = K extends OnElement
  ? Omit<ActionOf<K>, 'target'> & { selector: string }
  : Omit<ActionOf<K>, 'target'>;

export type ActionHandler<K extends ActionType> = (
  action: LocatedAction<K>,
  step: StepContext,
) => Promise<ActionResult>;
export type HandlerTable = { [K in ActionType]: ActionHandler<K> };

/** `ms`, or what is left of the run's deadline (NAVIS_MAX_TASK_MS) when that is less; at least 1. */
export function withinRun(ctx: Pick<ActionContext, 'runDeadline'>, ms: number, now = Date.now()): number {
  return ctx.runDeadline === undefined ? ms : Math.max(1, Math.min(ms, ctx.runDeadline - now));
}

/**
 * A step or run that ran out of time because the whole run reached its deadline (NAVIS_MAX_TASK_MS),
 * and whose message says so already (the executor adds nothing).
 */
export class RunDeadlineError extends NavisError {
  constructor(message: string) {
    super('ACTION_TIMEOUT', message);
  }
}
