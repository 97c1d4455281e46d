// Run Task (seed 003): on one session, optionally open the task's `url` (the run's start step),
// run the typed actions through the one executor, then capture the artifacts asked for. Each run
// is kept in the session's recent runs with its step log (sessions/runs.ts).
import { withinRun, type ActionContext, type ActionResult } from '../actions/context.js';
import {
  snapshotPart,
  SNAPSHOT_ELEMENT_LIMIT,
  type SnapshotPart,
  type SnapshotWindow,
} from '../agent/snapshot-text.js';
import { takeSnapshot } from '../agent/snapshot.js';
import { runActions, startAt, taskStepName, type StepLogEntry } from '../actions/executor.js';
import type { Action } from '../actions/schemas.js';
import { NavisError } from '../errors.js';
import { errorMessage, type RunNote, type RunStep } from '../sessions/runs.js';
import type { SessionRun, SessionWork } from '../sessions/work.js';
import {
  artifactFailure,
  pageContent,
  renderPdf,
  takeScreenshot,
  type PdfOptions,
  type ScreenshotOptions,
} from './artifacts.js';

type WaitUntil = 'domcontentloaded' | 'load' | 'networkidle';

export interface TaskInput {
  url?: string;
  waitUntil?: WaitUntil;
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

const ARTIFACT_TIMEOUT_MS = 60_000;

export class TaskService {
  constructor(private readonly work: SessionWork) {}

  /** `signal`: aborted when the client goes away (queued work is dropped, no further step starts). */
  async run(tenantId: string, sessionId: string, input: TaskInput, signal?: AbortSignal): Promise<TaskResult> {
    return this.work.withSessionPage(tenantId, sessionId, { signal, note: noteOf(input) }, async ({ page, ctx }) => {
      const { results, stepLog } = await runActions(ctx, input.actions, { start: startOf(input) });
      const result: TaskResult = { url: page.url(), actionResults: results, stepLog };
      try {
        if (input.screenshot)
          result.screenshot = (await takeScreenshot(page, input.screenshot, artifactTimeout(ctx), ctx.answer)).toString(
            'base64',
          );
        if (input.pdf)
          result.pdf = (await renderPdf(page, input.pdf, artifactTimeout(ctx), ctx.answer)).toString('base64');
        if (input.content) result.content = await pageContent(page, artifactTimeout(ctx), ctx.answer);
      } catch (error) {
        const typed = await artifactFailure(error, page);
        throw new NavisError(
          typed.code,
          typed.message,
          { failedActionIndex: null, stepLog, actionResults: results, ...typed.details },
          { cause: typed.cause },
        );
      }
      result.url = page.url();
      return result;
    });
  }

  async pdf(
    tenantId: string,
    sessionId: string,
    opts: PdfOptions & { url?: string; waitUntil?: WaitUntil },
    signal?: AbortSignal,
  ): Promise<{ pdf: Buffer; url: string }> {
    const { url, waitUntil, ...pdfOptions } = opts;
    return this.artifact(tenantId, sessionId, { url, waitUntil }, signal, async ({ page, ctx }) => ({
      pdf: await renderPdf(page, pdfOptions, artifactTimeout(ctx), ctx.answer),
      url: page.url(),
    }));
  }

  async screenshot(
    tenantId: string,
    sessionId: string,
    opts: ScreenshotOptions & { url?: string; waitUntil?: WaitUntil },
    signal?: AbortSignal,
  ): Promise<{ image: Buffer; url: string }> {
    const { url, waitUntil, ...shotOptions } = opts;
    return this.artifact(tenantId, sessionId, { url, waitUntil }, signal, async ({ page, ctx }) => ({
      image: await takeScreenshot(page, shotOptions, artifactTimeout(ctx), ctx.answer),
      url: page.url(),
    }));
  }

  /** The page as an agent reads it: its elements with refs and selectors, then its text, one window of it. */
  async snapshot(
    tenantId: string,
    sessionId: string,
    window: SnapshotWindow,
    signal?: AbortSignal,
  ): Promise<SnapshotPart> {
    return this.artifact(tenantId, sessionId, {}, signal, async ({ page, ctx }) => {
      const snapshot = await takeSnapshot(page, { limit: SNAPSHOT_ELEMENT_LIMIT, timeoutMs: artifactTimeout(ctx) });
      return snapshotPart(snapshot, window);
    });
  }

  /** The PDF, screenshot and snapshot endpoints: an optional start URL, then one capture. */
  private artifact<T>(
    tenantId: string,
    sessionId: string,
    start: Pick<TaskInput, 'url' | 'waitUntil'>,
    signal: AbortSignal | undefined,
    capture: (run: SessionRun) => Promise<T>,
  ): Promise<T> {
    return this.work.withSessionPage(tenantId, sessionId, { signal }, async (run) => {
      await runActions(run.ctx, [], { start: startOf(start) });
      return capture(run).catch(async (error) => {
        throw await artifactFailure(error, run.page);
      });
    });
  }
}

/** The task's own `url`: the run's start step, within the run's deadline like every step. */
function startOf(input: Pick<TaskInput, 'url' | 'waitUntil'>) {
  return input.url === undefined ? undefined : startAt(input.url, { waitUntil: input.waitUntil ?? 'load' });
}

/**
 * How a task is kept in its session's recent runs: the action types, then the step log (which
 * never holds a typed value). A task that logs in (authenticate) keeps no picture of the page.
 */
function noteOf(input: TaskInput): RunNote<TaskResult> {
  const types = [...(input.url === undefined ? [] : ['url']), ...input.actions.map((a) => a.type)];
  const shown = types.slice(0, 8).join(', ') + (types.length > 8 ? ', …' : '');
  const steps = (log: unknown): RunStep[] =>
    Array.isArray(log)
      ? (log as StepLogEntry[]).map((entry) => ({
          name: taskStepName(entry),
          status: entry.status,
          durationMs: entry.durationMs,
          ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
          ...(entry.error !== undefined ? { error: entry.error } : {}),
        }))
      : [];
  return {
    kind: 'task',
    title: `${shown || 'no actions'} (${input.actions.length} action${input.actions.length === 1 ? '' : 's'})`,
    outcome: (ended) =>
      'value' in ended
        ? { success: true, steps: steps(ended.value.stepLog) }
        : {
            success: false,
            steps: steps(ended.error instanceof NavisError ? ended.error.details?.stepLog : undefined),
            error: errorMessage(ended.error),
          },
    pictured: () => !input.actions.some((action) => action.type === 'authenticate'),
  };
}

/** The artifacts' deadline, or what is left of the run when that is less. */
function artifactTimeout(ctx: ActionContext): number {
  return withinRun(ctx, ARTIFACT_TIMEOUT_MS);
}
