// THE way work reaches a session's browser (tasks, natural-language actions, site actions with
// ?session_id=): take the session, queue behind its other work, check it again once it is this
// request's turn (it may have ended while this waited: 410), get its page (a dead browser is
// BROWSER_GONE, said once here) and build the ActionContext every step of the run gets: its
// files, its authenticator, its guard, the answer's caps and the run's deadline. A run that
// brings a RunNote is kept in the session's recent runs (runs.ts) once it is over. Two things that
// would leave the session stuck are dealt with here, once for every kind of run: a page whose
// renderer crashed is replaced by a new blank one (the request that met the crash says so, 422), and
// a run that outlives its deadline is answered 408 and its page freed, whatever call it hung in.
import type { Logger } from 'pino';
import { AnswerBudget, DEFAULT_ANSWER_LIMITS, type AnswerLimits } from '../actions/answer.js';
import type { ActionContext, Authenticator, FileLocator } from '../actions/context.js';
import type { SettleOptions } from '../actions/settle.js';
import { pageCrashed } from '../actions/browser-errors.js';
import { pastRunDeadline } from '../actions/executor.js';
import { describeHold, freePage, readyToFree } from '../actions/page-recovery.js';
import { withDeadline } from '../browsers/deadline.js';
import { hasCrashed, replaceCrashedPage, type Page } from '../browsers/playwright.js';
import { NavisError, type ErrorCode } from '../errors.js';
import type { RunningSession } from './running.js';
import { pageAddress, pageThumbnail, type RunNote, type SessionRuns } from './runs.js';
import type { SessionService } from './service.js';

/** What bounds a run: the caps on its answer and the whole run's deadline (NAVIS_MAX_TASK_MS). */
export interface RunLimits extends AnswerLimits {
  maxTaskMs: number;
}

export interface SessionWorkDeps {
  sessions: SessionService;
  files: FileLocator;
  authenticator: Authenticator<RunningSession>;
  log: Logger;
  limits?: RunLimits;
  /** How navigate steps with `settle` wait (NAVIS_SITE_SETTLE_*). */
  settle?: SettleOptions;
  /** Where runs with a RunNote are kept. */
  runs?: SessionRuns;
}

export interface WorkOptions<T = unknown> {
  /** Aborted when the client goes away: queued work never starts, no further step starts. */
  signal?: AbortSignal;
  /** 'tab': a new tab of the session's default context, closed after (site actions); default: the active page. */
  page?: 'active' | 'tab';
  /** The code a session whose browser died answers with (the /public family treats it as ended). */
  goneAs?: ErrorCode;
  /** Keep the run in the session's recent runs (on its active page only), described by its service. */
  note?: RunNote<T>;
}

/** The session, its page and the run's context, for one request's work. */
export interface SessionRun {
  session: RunningSession;
  page: Page;
  ctx: ActionContext & { answer: AnswerBudget; runDeadline: number };
}

/** How long past the run's deadline its work may take to end by itself (each step ends at its own deadline first). */
const RUN_GRACE_MS = 5000;

export class SessionWork {
  private readonly limits: RunLimits;

  constructor(private readonly deps: SessionWorkDeps) {
    this.limits = deps.limits ?? { ...DEFAULT_ANSWER_LIMITS, maxTaskMs: 600_000 };
  }

  async withSessionPage<T>(
    tenantId: string,
    sessionId: string,
    opts: WorkOptions<T>,
    work: (run: SessionRun) => Promise<T>,
  ): Promise<T> {
    const session = this.usable(tenantId, sessionId, opts.goneAs);
    return session.run(async () => {
      this.usable(tenantId, sessionId, opts.goneAs); // it may have ended while this waited
      const page = await this.pageOf(session, opts);
      if (hasCrashed(page)) {
        await this.replaceCrashed(session, page, opts);
        throw pageCrashed(true);
      }
      await readyToFree(page); // before its work: the page may go busy, in this run or before the next
      const started = new Date();
      const keep = (ended: { value: T } | { error: unknown }) =>
        opts.note && opts.page !== 'tab' && this.keep(tenantId, session.id, page, opts.note, started, ended);
      const stop = new AbortController(); // the run outlived its deadline: no further step starts
      const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
      const ctx = this.context(session, tenantId, page, signal);
      try {
        const value = await this.withinRun(work({ session, page, ctx }), page, ctx.runDeadline, stop);
        keep({ value });
        return value;
      } catch (error) {
        // A step that met the crash says so already (executor.ts translateBrowserError); anything else is worded here.
        const failure = hasCrashed(page) && !(error instanceof NavisError) ? pageCrashed(false) : error;
        keep({ error: failure });
        throw failure;
      } finally {
        if (hasCrashed(page)) await this.replaceCrashed(session, page, opts);
        if (opts.page === 'tab') await page.close().catch(() => {});
      }
    }, opts.signal);
  }

  /**
   * The run's work, answered 408 when it outlives the run's deadline (NAVIS_MAX_TASK_MS) by
   * RUN_GRACE_MS: a backstop behind every step's own deadline, so that no page call left without
   * one holds the session's queue for good. The page is freed (page-recovery.ts) before the next
   * request on the session runs; the abandoned work starts no further step.
   */
  private async withinRun<T>(work: Promise<T>, page: Page, runDeadline: number, stop: AbortController): Promise<T> {
    try {
      return await withDeadline(work, Math.max(1, runDeadline - Date.now()) + RUN_GRACE_MS, 'run past its deadline');
    } catch (error) {
      if (
        !(error instanceof NavisError) ||
        error.code !== 'ACTION_TIMEOUT' ||
        error.message !== 'run past its deadline'
      )
        throw error;
      stop.abort();
      const held = describeHold(await freePage(page), page);
      const cut = pastRunDeadline(runDeadline);
      throw new NavisError(cut.code, held ? `${cut.message} Then ${held}.` : cut.message);
    }
  }

  /** A new blank page in place of the session's crashed one (a tab of its own is closed after the run anyway). */
  private async replaceCrashed(session: RunningSession, page: Page, opts: WorkOptions): Promise<void> {
    if (opts.page === 'tab') return;
    this.deps.log.warn({ sessionId: session.id }, 'page crashed; replaced by a new blank page');
    await replaceCrashedPage(page).catch((error: Error) => {
      this.deps.log.warn({ sessionId: session.id, err: error }, 'could not replace a crashed page');
    });
  }

  /** One per run: the answer's budget and the run's deadline start when the work does. */
  /**
   * What bounds every run, on a session's page or not (a site action in a fresh context): its
   * deadline (NAVIS_MAX_TASK_MS), how navigate steps settle, and the client's going away.
   */
  bounds(signal: AbortSignal | undefined): { runDeadline: number; settle?: SettleOptions; signal?: AbortSignal } {
    return { runDeadline: Date.now() + this.limits.maxTaskMs, settle: this.deps.settle, signal };
  }

  /**
   * Keeps a finished run in the session's recent runs; its picture is taken after, not waited for
   * (the answer does not wait on it), and never fails the run.
   */
  private keep<T>(
    tenantId: string,
    sessionId: string,
    page: Page,
    note: RunNote<T>,
    started: Date,
    ended: { value: T } | { error: unknown },
  ): void {
    const runs = this.deps.runs;
    if (!runs) return;
    try {
      const record = runs.add(tenantId, sessionId, {
        kind: note.kind,
        title: note.title,
        startedAt: started.toISOString(),
        durationMs: Date.now() - started.getTime(),
        url: page.isClosed() ? null : pageAddress(page.url()),
        ...note.outcome(ended),
      });
      if (!note.pictured() || page.isClosed() || hasCrashed(page)) return;
      pageThumbnail(page).then(
        (image) => image && runs.picture(sessionId, record.id, image),
        () => {}, // no picture: the page was busy, gone or slow to draw
      );
    } catch (error) {
      this.deps.log.warn({ sessionId, err: (error as Error).message }, 'could not keep a run in its session history');
    }
  }

  private context(
    session: RunningSession,
    tenantId: string,
    page: Page,
    signal: AbortSignal | undefined,
  ): SessionRun['ctx'] {
    return {
      page,
      log: this.deps.log.child({ sessionId: session.id }),
      resolveFile: (filename) => this.deps.files.pathOf(session.id, filename),
      authenticate: (action, step) => this.deps.authenticator.authenticate(session, tenantId, action, step),
      guard: session.guard,
      answer: new AnswerBudget(this.limits),
      ...this.bounds(signal),
    };
  }

  private usable(tenantId: string, sessionId: string, goneAs: ErrorCode | undefined): RunningSession {
    try {
      return this.deps.sessions.usable(tenantId, sessionId);
    } catch (error) {
      if (goneAs && error instanceof NavisError && error.code === 'BROWSER_GONE')
        throw new NavisError(goneAs, error.message, error.details);
      throw error;
    }
  }

  private async pageOf(session: RunningSession, opts: WorkOptions): Promise<Page> {
    try {
      if (opts.page !== 'tab') return await session.page();
      // A new tab of the default context, so the profile's cookies and logins apply.
      const context = (await session.playwright()).contexts()[0];
      if (!context) throw new Error('it has no default browser context');
      return await context.newPage();
    } catch (error) {
      const message = `The browser of session ${session.id} is not reachable: ${(error as Error).message.split('\n')[0]}`;
      throw new NavisError(opts.goneAs ?? 'BROWSER_GONE', message, undefined, { cause: error });
    }
  }
}
