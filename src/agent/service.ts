// Run Single Action (seed 000): a natural-language instruction on a session. With a cached entry
// for (tenant, id) and the same action text, the steps replay without any planner call, each
// target verified first; a step that no longer fits falls back to planning from there and, when
// set_cache holds, the entry heals. Credits count planner calls. Secrets (run-secrets.ts) reach
// planners only as {{name}}, and never an answer, an error, the cache or the session's recent
// runs (sessions/runs.ts), where each run is kept redacted.
import type { ActionContext } from '../actions/context.js';
import { pastRunDeadline } from '../actions/executor.js';
import { NavisError } from '../errors.js';
import type { SessionService } from '../sessions/service.js';
import { errorMessage, type RunNote } from '../sessions/runs.js';
import type { Screen } from '../sessions/types.js';
import type { SessionWork } from '../sessions/work.js';
import type { StepCache } from './cache.js';
import type { UsageService } from './usage.js';
import { RunSecrets } from './run-secrets.js';
import { SNAPSHOT_TIMEOUT_MS, takeSnapshot } from './snapshot.js';
import { StepFailure, executeStep } from './steps.js';
import type { PageSnapshot, PlannerFactory, StepRecord } from './types.js';
import { withUserAgent } from './user-agent.js';
import { interpolate } from './variables.js';

export interface RunActionInput {
  action: string;
  sessionId?: string;
  cacheId?: string;
  variables?: Record<string, string>;
  /** Variables whose values planners never see (besides those named like secrets); each must be in variables. */
  secretVariables?: string[];
  setCache: boolean;
  userAgent?: string;
  screen?: Screen;
  /** The API key of the request: an implicit session belongs to it as a created one would. */
  apiKeyId?: string;
}

export interface RunActionOutput {
  success: boolean;
  result: string;
  credits: number;
  error?: string;
  usedCache: boolean;
  setCache: boolean;
  cacheFailed: boolean;
  sessionId: string;
  /** Which cached step failed and why, or why a run was not cached. */
  cacheDetail?: string;
  steps: string[];
}

/** A session made for a call without session_id lives this long (the product's own client expects 10 minutes). */
const IMPLICIT_SESSION_TTL_SECONDS = 600;

export class SingleActionService {
  constructor(
    private readonly sessions: SessionService,
    private readonly work: SessionWork,
    private readonly cache: StepCache,
    private readonly usage: UsageService,
    private readonly planners: PlannerFactory,
    private readonly maxSteps: number,
  ) {}

  /** `signal`: aborted when the client goes away (queued work is dropped, no further step or planner call starts). */
  async run(tenantId: string, input: RunActionInput, signal?: AbortSignal): Promise<RunActionOutput> {
    const variables = input.variables ?? {};
    const secrets = RunSecrets.of(input.action, variables, input.secretVariables);
    // A missing variable is a 400 before anything runs; secret ones stay {{name}} for the planner.
    const instruction = interpolate(input.action, variables, { keep: secrets.names });
    const sessionId =
      input.sessionId ??
      (
        await this.sessions.create(tenantId, {
          ttlSeconds: IMPLICIT_SESSION_TTL_SECONDS,
          screen: input.screen,
          apiKeyId: input.apiKeyId,
        })
      ).id;
    let output: RunActionOutput;
    try {
      const ran = await this.work.withSessionPage(
        tenantId,
        sessionId,
        { signal, goneAs: 'SESSION_ENDED', note: noteOf(input, secrets) },
        ({ session, page, ctx }) =>
          withUserAgent(page, input.userAgent, () =>
            this.runOnPage(
              tenantId,
              session.id,
              { ...ctx, authenticate: notHere },
              instruction,
              input,
              variables,
              secrets,
            ),
          ),
      );
      output = secrets.redactOutput(ran);
    } catch (error) {
      throw secrets.redactError(error);
    }
    this.usage.record(tenantId, {
      kind: 'single_action',
      cacheId: input.cacheId ?? null,
      sessionId,
      credits: output.credits,
      usedCache: output.usedCache,
      success: output.success,
    });
    return output;
  }

  private async runOnPage(
    tenantId: string,
    sessionId: string,
    ctx: ActionContext,
    instruction: string,
    input: RunActionInput,
    variables: Record<string, string>,
    secrets: RunSecrets,
  ): Promise<RunActionOutput> {
    const out: RunActionOutput = {
      success: false,
      result: '',
      credits: 0,
      usedCache: false,
      setCache: false,
      cacheFailed: false,
      sessionId,
      steps: [],
    };
    const history: StepRecord[] = [];

    const entry = input.cacheId ? this.cache.find(tenantId, input.cacheId) : undefined;
    if (entry?.unreadable && entry.action === input.action) {
      // A row that does not parse is a miss (seed 000 cache_failed: it existed but could not be applied).
      out.cacheFailed = true;
      out.cacheDetail = `cached steps not used: ${entry.unreadable}; planned again`;
      this.cache.markFailed(tenantId, entry.id, `cached steps could not be read: ${entry.unreadable}`);
      ctx.log.warn({ cacheId: entry.id, reason: entry.unreadable }, 'cached steps could not be read; planning');
    } else if (entry && entry.action === input.action) {
      out.usedCache = true;
      const { failure, pageAnswered } = await this.replay(ctx, entry.steps, variables, secrets, history);
      if (!failure) {
        this.cache.markReplayed(tenantId, entry.id);
        return finish(out, history, true);
      }
      this.cache.markFailed(tenantId, entry.id, secrets.redact(failure));
      // The page refused a replayed step or said it failed: planning again would only repeat it.
      if (pageAnswered) return finish(out, history, false, undefined, failure);
      out.cacheFailed = true;
      out.cacheDetail = failure;
      ctx.log.info(
        { cacheId: entry.id, detail: secrets.redact(failure) },
        'cached steps no longer fit; planning from there',
      );
    }

    const planned = await this.plan(ctx, instruction, variables, secrets, history, out);
    if (planned.success && input.setCache && input.cacheId) {
      const notStored = this.cache.store(
        tenantId,
        input.cacheId,
        input.action,
        history,
        variables,
        secrets,
        planned.planner,
        out.cacheFailed,
      );
      if (notStored) out.cacheDetail = out.cacheDetail ? `${out.cacheDetail}; ${notStored}` : notStored;
      else out.setCache = true;
    }
    return finish(out, history, planned.success, planned.result, planned.error);
  }

  /** Replays cached steps; says why it stopped early (failure undefined when every step ran). */
  private async replay(
    ctx: ActionContext,
    steps: StepRecord['step'][],
    variables: Record<string, string>,
    secrets: RunSecrets,
    history: StepRecord[],
  ): Promise<{ failure?: string; pageAnswered?: boolean }> {
    for (const [index, step] of steps.entries()) {
      try {
        history.push(await executeStep(ctx, step, variables, { verify: true, secrets }));
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error;
        const failure = `cached step ${index + 1} of ${steps.length} (${step.type}) failed: ${error.message}`;
        return { failure, pageAnswered: error.pageAnswered };
      }
    }
    return {};
  }

  private async plan(
    ctx: ActionContext,
    instruction: string,
    variables: Record<string, string>,
    secrets: RunSecrets,
    history: StepRecord[],
    out: RunActionOutput,
  ): Promise<{ success: boolean; result?: string; error?: string; planner: string }> {
    const planner = this.planners.create();
    let interrupted = false;
    for (let turn = 0; turn < this.maxSteps; turn++) {
      const left = (ctx.runDeadline ?? Infinity) - Date.now();
      if (left <= 0) return { success: false, error: pastRunDeadline(ctx.runDeadline!).message, planner: planner.name };
      if (ctx.signal?.aborted) throw new NavisError('CANCELLED', 'the client went away');
      let page: PageSnapshot;
      try {
        page = await takeSnapshot(ctx.page, {
          screenshot: planner.wantsScreenshot,
          timeoutMs: Math.min(SNAPSHOT_TIMEOUT_MS, left),
        });
      } catch (error) {
        // A page that does not answer (it was freed meanwhile: actions/page-recovery.ts) ends the
        // run as a failed step would, not as a 500.
        if (!(error instanceof NavisError) || error.code !== 'ACTION_TIMEOUT') throw error;
        const deadline = Date.now() >= (ctx.runDeadline ?? Infinity) ? pastRunDeadline(ctx.runDeadline!).message : '';
        const cut = deadline && ` ${deadline[0].toUpperCase()}${deadline.slice(1)}`;
        return { success: false, error: `could not read the page: ${error.message}${cut}`, planner: planner.name };
      }
      // Every planner, model or rules, gets the same masked input: secret values only as {{name}}.
      const stop = AbortSignal.any([AbortSignal.timeout(Math.max(1, left)), ...(ctx.signal ? [ctx.signal] : [])]);
      let decision: Awaited<ReturnType<typeof planner.next>>;
      try {
        decision = await planner.next(secrets.maskInput({ instruction, page, history, variables }), stop);
      } catch (error) {
        // A model call cut by the run's deadline or by the client going away is that, not a 500.
        if (ctx.signal?.aborted) throw new NavisError('CANCELLED', 'the client went away');
        if (Date.now() >= (ctx.runDeadline ?? Infinity))
          return { success: false, error: pastRunDeadline(ctx.runDeadline!).message, planner: planner.name };
        throw error;
      }
      out.credits += planner.creditsPerCall;
      if (decision.type === 'done') return { success: true, result: decision.result, planner: planner.name };
      if (decision.type === 'fail') return { success: false, error: decision.error, planner: planner.name };
      try {
        history.push(await executeStep(ctx, decision.step, variables, { verify: false, secrets }));
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error;
        // Typing the page swallowed (a popup came up on focus): once per run, the planner sees the
        // page as it is now and plans again (it may decline the popup first); otherwise it fails.
        if (!interrupted && INTERRUPTED.test(error.message)) {
          interrupted = true;
          continue;
        }
        return { success: false, error: `${decision.step.type} failed: ${error.message}`, planner: planner.name };
      }
    }
    return {
      success: false,
      error: `gave up after ${this.maxSteps} steps without finishing the instruction`,
      planner: planner.name,
    };
  }
}

/** A step failure that says the page interrupted it, not that the step was wrong (input-actions.ts type). */
const INTERRUPTED = /is empty afterwards/;

/**
 * How a run is kept in its session's recent runs: the instruction as written (variables unfilled),
 * everything redacted once the run is over (its secrets all known), no picture of a page that
 * may show a secret.
 */
function noteOf(input: RunActionInput, secrets: RunSecrets): RunNote<RunActionOutput> {
  return {
    kind: 'action',
    title: secrets.redact(input.action),
    outcome: (ended) => {
      if (!('value' in ended))
        return { success: false, steps: [], error: errorMessage(secrets.redactError(ended.error)) };
      const out = secrets.redactOutput(ended.value);
      return {
        success: out.success,
        steps: out.steps.map((summary) => ({ name: summary, status: 'ok', durationMs: null })),
        ...(out.error !== undefined ? { error: out.error } : {}),
        result: out.result,
        cache: input.cacheId
          ? { id: input.cacheId, used: out.usedCache, failed: out.cacheFailed, stored: out.setCache }
          : undefined,
        credits: out.credits,
      };
    },
    pictured: () => secrets.isEmpty(),
  };
}

/** Natural-language actions do not log in: a task's authenticate step does. */
const notHere = async (): Promise<never> => {
  throw new NavisError('INVALID_REQUEST', 'authenticate is not available in natural-language actions; use a task.');
};

/** The outcome in words: the planner's result, else what was read, else what was done. */
function finish(
  out: RunActionOutput,
  history: StepRecord[],
  success: boolean,
  result?: string,
  error?: string,
): RunActionOutput {
  out.success = success;
  out.steps = history.map((r) => r.summary);
  const extracted = history.filter((r) => r.extracted !== undefined).map((r) => r.extracted!);
  const done = history.map((r) => r.summary).join(', ');
  out.result =
    result ?? (extracted.length > 0 ? extracted.join('\n') : done ? `${done[0].toUpperCase()}${done.slice(1)}` : '');
  if (!success) out.error = error ?? 'the action did not complete';
  return out;
}
