// Run Task (seed 003): on one session, optionally navigate, run the typed actions through the one
// executor, then capture the artifacts asked for. Work on a session runs one request at a time.
import type { Logger } from 'pino';
import { navigate } from '../actions/navigate.js';
import { runActions, translateBrowserError, type ActionContext, type ActionResult, type StepContext, type StepLogEntry } from '../actions/executor.js';
import type { Action, ActionOf } from '../actions/schemas.js';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { RunningSession } from '../sessions/running.js';
import type { SessionService } from '../sessions/service.js';
import { AnswerBudget, DEFAULT_ANSWER_LIMITS, type AnswerLimits } from '../actions/answer.js';
import { pageContent, renderPdf, takeScreenshot, type PdfOptions, type ScreenshotOptions } from './artifacts.js';

export interface TaskInput {
  url?: string;
  waitUntil?: 'domcontentloaded' | 'load' | 'networkidle';
  actions: Action[];
  screenshot?: ScreenshotOptions;
  pdf?: PdfOptions;
  content?: boolean;
}

export interface TaskResult {
  url: string;
  screenshot?: string;
  pdf?: string;
  content?: { html: string; url: string };
  actionResults: ActionResult[];
  stepLog: StepLogEntry[];
}

/** Where uploaded session files are (see tasks/files.ts). */
export interface FileLocator {
  pathOf(sessionId: string, filename: string): string;
}

/** Runs authenticate steps (see vault/authenticate.ts). */
export interface Authenticator {
  authenticate(session: RunningSession, tenantId: string, action: ActionOf<'authenticate'>, step: StepContext): Promise<ActionResult>;
}

const ARTIFACT_TIMEOUT_MS = 60_000;
const NAVIGATION_TIMEOUT_MS = 30_000;

/** What bounds a task: the caps on its answer (actions/answer.ts) and the whole run's deadline. */
export interface TaskLimits extends AnswerLimits {
  /** NAVIS_MAX_TASK_MS */
  maxTaskMs: number;
}

export class TaskService {
  constructor(
    private readonly sessions: SessionService,
    private readonly files: FileLocator,
    private readonly authenticator: Authenticator,
    private readonly log: Logger,
    private readonly limits: TaskLimits = { ...DEFAULT_ANSWER_LIMITS, maxTaskMs: 600_000 },
  ) {}

  /** `signal`: aborted when the client goes away (queued work is dropped, no further step starts). */
  async run(tenantId: string, sessionId: string, input: TaskInput, signal?: AbortSignal): Promise<TaskResult> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      const ctx = this.actionContext(session, tenantId, page, signal);
      if (input.url !== undefined) await this.openUrl(ctx, input.url, input.waitUntil);
      const { results, stepLog } = await runActions(ctx, input.actions);
      const result: TaskResult = { url: page.url(), actionResults: results, stepLog };
      try {
        if (input.screenshot) result.screenshot = (await takeScreenshot(page, input.screenshot, artifactTimeout(ctx), ctx.answer)).toString('base64');
        if (input.pdf) result.pdf = (await renderPdf(page, input.pdf, artifactTimeout(ctx), ctx.answer)).toString('base64');
        if (input.content) result.content = await pageContent(page, ctx.answer);
      } catch (error) {
        throw withTaskDetails(translateBrowserError(error, page), results, stepLog);
      }
      result.url = page.url();
      return result;
    }, signal);
  }

  async pdf(tenantId: string, sessionId: string, opts: PdfOptions & { url?: string; waitUntil?: TaskInput['waitUntil'] }, signal?: AbortSignal): Promise<{ pdf: Buffer; url: string }> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      const ctx = this.actionContext(session, tenantId, page, signal);
      const { url, waitUntil, ...pdfOptions } = opts;
      if (url !== undefined) await this.openUrl(ctx, url, waitUntil);
      const pdf = await renderPdf(page, pdfOptions, artifactTimeout(ctx), ctx.answer).catch((error) => {
        throw translateBrowserError(error, page);
      });
      return { pdf, url: page.url() };
    }, signal);
  }

  async screenshot(tenantId: string, sessionId: string, opts: ScreenshotOptions & { url?: string; waitUntil?: TaskInput['waitUntil'] }, signal?: AbortSignal): Promise<{ image: Buffer; url: string }> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      const ctx = this.actionContext(session, tenantId, page, signal);
      const { url, waitUntil, ...shotOptions } = opts;
      if (url !== undefined) await this.openUrl(ctx, url, waitUntil);
      const image = await takeScreenshot(page, shotOptions, artifactTimeout(ctx), ctx.answer).catch((error) => {
        throw translateBrowserError(error, page);
      });
      return { image, url: page.url() };
    }, signal);
  }

  /** One per request: the answer's budget and the run's deadline start when the work does. */
  private actionContext(session: RunningSession, tenantId: string, page: Page, signal: AbortSignal | undefined): ActionContext & { answer: AnswerBudget } {
    return {
      page,
      log: this.log.child({ sessionId: session.id }),
      resolveFile: (filename) => this.files.pathOf(session.id, filename),
      authenticate: (action, step) => this.authenticator.authenticate(session, tenantId, action, step),
      guard: session.guard,
      answer: new AnswerBudget(this.limits),
      runDeadline: Date.now() + this.limits.maxTaskMs,
      signal,
    };
  }

  private async pageOf(session: RunningSession): Promise<Page> {
    try {
      return await session.page();
    } catch (error) {
      throw new NavisError('BROWSER_GONE', `The browser of session ${session.id} is not reachable: ${(error as Error).message.split('\n')[0]}`, undefined, {
        cause: error,
      });
    }
  }

  /** The task's own `url`: not an action, so a failure has no action index. */
  private async openUrl(ctx: ActionContext, url: string, waitUntil: TaskInput['waitUntil']): Promise<void> {
    const { page } = ctx;
    try {
      await navigate(page, url, { guard: ctx.guard, waitUntil: waitUntil ?? 'load', timeoutMs: withinRun(ctx, NAVIGATION_TIMEOUT_MS) });
    } catch (error) {
      const navisError = translateBrowserError(error, page);
      throw withTaskDetails(new NavisError(navisError.code, `url: ${navisError.message}`, navisError.details), [], []);
    }
  }
}

/** `ms`, or what is left of the run when that is less. */
function withinRun(ctx: ActionContext, ms: number): number {
  return ctx.runDeadline === undefined ? ms : Math.max(1, Math.min(ms, ctx.runDeadline - Date.now()));
}

const artifactTimeout = (ctx: ActionContext) => withinRun(ctx, ARTIFACT_TIMEOUT_MS);

function withTaskDetails(error: NavisError, actionResults: ActionResult[], stepLog: StepLogEntry[]): NavisError {
  return new NavisError(error.code, error.message, { failedActionIndex: null, stepLog, actionResults, ...error.details }, { cause: error.cause });
}
