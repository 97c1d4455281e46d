// Run Task (seed 003): on one session, optionally navigate, run the typed actions through the one
// executor, then capture the artifacts asked for. Work on a session runs one request at a time.
import type { Logger } from 'pino';
import { runActions, translateBrowserError, type ActionContext, type ActionResult, type StepContext, type StepLogEntry } from '../actions/executor.js';
import type { Action, ActionOf } from '../actions/schemas.js';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { RunningSession } from '../sessions/running.js';
import type { SessionService } from '../sessions/service.js';
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

export class TaskService {
  constructor(
    private readonly sessions: SessionService,
    private readonly files: FileLocator,
    private readonly authenticator: Authenticator,
    private readonly log: Logger,
  ) {}

  async run(tenantId: string, sessionId: string, input: TaskInput): Promise<TaskResult> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      if (input.url !== undefined) await this.openUrl(page, input.url, input.waitUntil);
      const { results, stepLog } = await runActions(this.actionContext(session, tenantId, page), input.actions);
      const result: TaskResult = { url: page.url(), actionResults: results, stepLog };
      try {
        if (input.screenshot) result.screenshot = (await takeScreenshot(page, input.screenshot, ARTIFACT_TIMEOUT_MS)).toString('base64');
        if (input.pdf) result.pdf = (await renderPdf(page, input.pdf, ARTIFACT_TIMEOUT_MS)).toString('base64');
        if (input.content) result.content = await pageContent(page);
      } catch (error) {
        throw withTaskDetails(translateBrowserError(error, page), results, stepLog);
      }
      result.url = page.url();
      return result;
    });
  }

  async pdf(tenantId: string, sessionId: string, opts: PdfOptions & { url?: string; waitUntil?: TaskInput['waitUntil'] }): Promise<{ pdf: Buffer; url: string }> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      const { url, waitUntil, ...pdfOptions } = opts;
      if (url !== undefined) await this.openUrl(page, url, waitUntil);
      const pdf = await renderPdf(page, pdfOptions, ARTIFACT_TIMEOUT_MS).catch((error) => {
        throw translateBrowserError(error, page);
      });
      return { pdf, url: page.url() };
    });
  }

  async screenshot(tenantId: string, sessionId: string, opts: ScreenshotOptions & { url?: string; waitUntil?: TaskInput['waitUntil'] }): Promise<{ image: Buffer; url: string }> {
    const session = this.sessions.usable(tenantId, sessionId);
    return session.run(async () => {
      const page = await this.pageOf(session);
      const { url, waitUntil, ...shotOptions } = opts;
      if (url !== undefined) await this.openUrl(page, url, waitUntil);
      const image = await takeScreenshot(page, shotOptions, ARTIFACT_TIMEOUT_MS).catch((error) => {
        throw translateBrowserError(error, page);
      });
      return { image, url: page.url() };
    });
  }

  private actionContext(session: RunningSession, tenantId: string, page: Page): ActionContext {
    return {
      page,
      log: this.log.child({ sessionId: session.id }),
      resolveFile: (filename) => this.files.pathOf(session.id, filename),
      authenticate: (action, step) => this.authenticator.authenticate(session, tenantId, action, step),
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
  private async openUrl(page: Page, url: string, waitUntil: TaskInput['waitUntil']): Promise<void> {
    try {
      new URL(url);
    } catch {
      throw withTaskDetails(new NavisError('INVALID_REQUEST', `url '${url.slice(0, 200)}' is not an absolute URL (include the scheme, e.g. https://).`), [], []);
    }
    try {
      await page.goto(url, { waitUntil: waitUntil ?? 'load', timeout: NAVIGATION_TIMEOUT_MS });
    } catch (error) {
      const navisError = translateBrowserError(error, page);
      throw withTaskDetails(new NavisError(navisError.code, `url: ${navisError.message}`), [], []);
    }
  }
}

function withTaskDetails(error: NavisError, actionResults: ActionResult[], stepLog: StepLogEntry[]): NavisError {
  return new NavisError(error.code, error.message, { failedActionIndex: null, stepLog, actionResults, ...error.details }, { cause: error.cause });
}
