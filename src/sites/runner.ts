// ManifestRunner (seed 002): executes a manifest action on a live page and reads views. Looks up
// manifest → state → action, checks the inputs, opens a new page (a fresh context of one shared
// Chromium, or a new tab of a session's default context with ?session_id=), navigates to the state
// URL, waits for the DOM to settle, runs the steps through the one executor and answers with its
// step log. At most `maxExecutions` run at once across the server.
import type { Logger } from 'pino';
import { detachedContext, type ActionContext, type ActionResult } from '../actions/context.js';
import { runActions, StepError, translateBrowserError, type StepLogEntry } from '../actions/executor.js';
import type { BrowserPool } from '../browsers/pool.js';
import { EgressProxy } from '../network/egress-proxy.js';
import type { NavisEndpoints } from '../network/endpoints.js';
import { NavigationGuard } from '../network/guard.js';
import type { TenantPolicies } from '../sessions/network.js';
import { TenantSlots } from '../tenants/slots.js';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { SessionWork } from '../sessions/work.js';
import { fillSteps, stepTemplateNames, templateNames } from '../actions/templates.js';
import {
  redact,
  redactSteps,
  redactText,
  resolveInputs,
  siteStepName,
  stateStart,
  stateUrl,
  type InputValues,
} from './inputs.js';
import type { Manifest, ManifestState } from './manifest.js';
import type { ManifestService } from './service.js';
import { SharedSiteBrowser } from './shared-browser.js';
import { readView, type ViewRecord } from './views.js';

export interface ExecuteRequest {
  slug: string;
  state: string;
  action: string;
  /** The request body: a flat object of inputs (or nothing). */
  inputs: unknown;
  sessionId?: string;
  /** Aborted when the client goes away: queued work is dropped, no further step starts. */
  signal?: AbortSignal;
}

export interface ViewRequest {
  slug: string;
  state: string;
  view: string;
  /** Query-string parameters: values for the state URL's templates. */
  inputs: Record<string, string>;
  sessionId?: string;
}

/** One entry of `steps` (seed 002: "ordered list of steps the executor performed"). */
export interface ExecutedStep {
  /** The step's index in the action's steps; null for navigating to the state's URL. */
  index: number | null;
  type: string;
  status: 'ok' | 'failed';
  detail?: string;
  durationMs: number;
  /** What the step returned (an extracted text, a URL), when it returned anything. */
  result?: ActionResult;
}

export interface ActionOutcome {
  ok: true;
  state: string;
  steps: ExecutedStep[];
}

export type ViewOutcome = { ok: true; state: string; view: string } & (
  { items: ViewRecord[] } | { record: ViewRecord }
);

export interface ManifestRunnerDeps {
  manifests: ManifestService;
  /** Runs with ?session_id= go through the session's work queue like tasks do; every run takes its bounds from it. */
  work: SessionWork;
  pool: BrowserPool;
  maxExecutions: number;
  /** Each tenant's network policy and limits. */
  tenants: TenantPolicies;
  endpoints: NavisEndpoints;
  log: Logger;
}

/** seed 002: 404 {"error": "State 'BadState' not found"} */
const stateNotFound = (name: string) => new NavisError('NOT_FOUND', `State '${name.slice(0, 200)}' not found`);

export class ManifestRunner {
  /** seed 002: at most `maxExecutions` run at once (and each tenant's own limit). */
  private readonly slots: TenantSlots;
  private contexts = 0;
  private readonly browser: SharedSiteBrowser;

  constructor(private readonly deps: ManifestRunnerDeps) {
    this.browser = new SharedSiteBrowser(deps.pool, deps.log);
    this.slots = new TenantSlots(
      () => deps.maxExecutions,
      (tenantId) => deps.tenants.limitsOf(tenantId).maxSiteExecutions,
      (max) => new NavisError('EXECUTIONS_LIMIT', `Max concurrent executions (${max}) reached. Try again later.`),
    );
  }

  /** Executions under way (tests, status pages). */
  get activeExecutions(): number {
    return this.slots.held();
  }

  /** Contexts opened on the shared browser and not closed yet: 0 whenever nothing runs. */
  get openContexts(): number {
    return this.contexts;
  }

  /** The shared Chromium of site executions, once launched (tests check it leaks nothing). */
  get sharedBrowser(): { pid: number; wsEndpoint: string } | undefined {
    return this.browser.running;
  }

  async execute(tenantId: string, req: ExecuteRequest): Promise<ActionOutcome> {
    const manifest = this.deps.manifests.get(tenantId, req.slug);
    const state = findState(manifest, req.state);
    const action = state.actions.find((a) => a.name === req.action);
    if (!action) throw new NavisError('NOT_FOUND', `Route '${req.action.slice(0, 200)}' not found`);
    const values = resolveInputs(
      action.inputs,
      [...templateNames(state.url), ...stepTemplateNames(action.steps)],
      req.inputs,
    );
    const url = stateUrl(state.url, manifest.baseUrl, values);
    const steps = fillSteps(action.steps, values).map((step) =>
      step.type === 'navigate' ? { ...step, url: resolveUrl(step.url, url) } : step,
    );
    const failed = siteFailure(`Action '${action.name}' failed`, values, { slug: manifest.slug, state: state.name });

    const started = Date.now();
    const outcome = await this.onPage(tenantId, req.sessionId, req.signal, async (ctx) => {
      // seed 002 steps 4-6: the state's URL (settled, an error status failing it), then the steps.
      const run = await runActions(ctx, steps, { start: stateStart(url) }).catch((error) => {
        throw failed(error, ctx.page, url);
      });
      return {
        ok: true as const,
        state: state.name,
        steps: run.stepLog.map((entry, i) => executedStep(entry, i === 0 ? undefined : run.results[i - 1])),
      };
    });
    this.deps.log.info(
      {
        tenantId,
        slug: manifest.slug,
        state: state.name,
        action: action.name,
        sessionId: req.sessionId,
        steps: outcome.steps.length,
        durationMs: Date.now() - started,
      },
      'site action executed',
    );
    return { ...outcome, steps: redactSteps(outcome.steps, values) };
  }

  async view(tenantId: string, req: ViewRequest): Promise<ViewOutcome> {
    const manifest = this.deps.manifests.get(tenantId, req.slug);
    const state = findState(manifest, req.state);
    const view = state.views.find((v) => v.name === req.view);
    if (!view) throw new NavisError('NOT_FOUND', `View '${req.view.slice(0, 200)}' not found`);
    const values = resolveInputs([], templateNames(state.url), req.inputs, 'view');
    const url = stateUrl(state.url, manifest.baseUrl, values);
    const failed = siteFailure(`View '${view.name}' failed`, values, { slug: manifest.slug, state: state.name });

    const started = Date.now();
    const data = await this.onPage(tenantId, req.sessionId, undefined, async (ctx) => {
      await runActions(ctx, [], { start: stateStart(url) }).catch((error) => {
        throw failed(error, ctx.page, url);
      });
      return readView(ctx.page, view).catch((error) => {
        throw failed(error, ctx.page, url);
      });
    });
    this.deps.log.info(
      {
        tenantId,
        slug: manifest.slug,
        state: state.name,
        view: view.name,
        sessionId: req.sessionId,
        durationMs: Date.now() - started,
      },
      'site view read',
    );
    return { ok: true as const, state: state.name, view: view.name, ...redact(data, values) };
  }

  /** Closes the shared browser (navis's close sequence, before the pool closes). */
  async close(): Promise<void> {
    await this.browser.close();
  }

  /** Runs `work` on a new page: a tab of the session's default context, or a fresh context of the shared browser. */
  private async onPage<T>(
    tenantId: string,
    sessionId: string | undefined,
    signal: AbortSignal | undefined,
    work: (ctx: ActionContext) => Promise<T>,
  ): Promise<T> {
    const release = this.slots.take(tenantId);
    try {
      if (sessionId === undefined) return await this.inFreshContext(tenantId, signal, work);
      // Queued with the session's other work (tasks, single actions), one at a time.
      return await this.deps.work.withSessionPage(tenantId, sessionId, { signal, page: 'tab' }, ({ ctx }) => work(ctx));
    } finally {
      release();
    }
  }

  /**
   * A fresh context of the shared browser, behind an egress guard of its own that carries the
   * tenant's network policy (contexts of several tenants share the browser, not its network).
   */
  private async inFreshContext<T>(
    tenantId: string,
    signal: AbortSignal | undefined,
    work: (ctx: ActionContext) => Promise<T>,
  ): Promise<T> {
    const gone = (error: Error) =>
      new NavisError(
        'BROWSER_GONE',
        `The browser of site executions could not open a page (${error.message.split('\n')[0]}). Try again.`,
        undefined,
        { cause: error },
      );
    const route = this.deps.tenants.routeOf(tenantId);
    const browser = await this.browser.connection();
    const egress = await EgressProxy.start(this.deps.endpoints, this.deps.log.child({ component: 'egress' }));
    await egress.setRoute(route);
    this.contexts++;
    try {
      const context = await browser
        .newContext({ proxy: { server: egress.url, bypass: '<-loopback>' } })
        .catch((error: Error) => {
          throw gone(error);
        });
      try {
        const page = await context.newPage().catch((error: Error) => {
          throw gone(error);
        });
        const guard = new NavigationGuard(route, this.deps.endpoints, egress);
        return await work({
          ...detachedContext(page, guard, this.deps.log, 'create a session, then call again with ?session_id='),
          ...this.deps.work.bounds(signal),
        });
      } finally {
        await context.close().catch(() => {});
      }
    } finally {
      this.contexts--;
      await egress.close();
    }
  }
}

function findState(manifest: Manifest, name: string): ManifestState {
  const state = manifest.states.find((s) => s.name === name);
  if (!state) throw stateNotFound(name);
  return state;
}

/** A navigate step's URL may be relative to the state's page, like the state URL is to the baseUrl. */
function resolveUrl(target: string, from: string): string {
  try {
    return new URL(target, from).href;
  } catch {
    return target; // the executor answers with what is wrong with it
  }
}

/**
 * seed 002's 500 `{"error": "Action 'x' failed: <message>"}`, the step named as the manifest names
 * it (`steps[1] (click)`, the state's URL as `navigating to <url>`). The caller's own mistakes
 * keep their 4xx (a navigation the tenant's policy refused, a selector the page refuses to parse, a
 * step that needs a session): they are not the site failing.
 */
function siteFailure(prefix: string, values: InputValues, details: Record<string, unknown>) {
  return (error: unknown, page: Page, url: string): NavisError => {
    const message =
      error instanceof StepError ? error.describe(siteStepName(url)) : translateBrowserError(error, page).message;
    const code = error instanceof NavisError ? error.code : undefined;
    return new NavisError(
      code === 'EGRESS_REFUSED' || code === 'URL_NOT_ALLOWED' || code === 'INVALID_REQUEST'
        ? code
        : 'SITE_ACTION_FAILED',
      `${prefix}: ${redactText(message, values)}`,
      details,
    );
  };
}

function executedStep(entry: StepLogEntry, result: ActionResult | undefined): ExecutedStep {
  const step: ExecutedStep = {
    index: entry.index,
    type: entry.type,
    status: entry.status,
    durationMs: entry.durationMs,
  };
  if (entry.detail !== undefined) step.detail = entry.detail;
  if (result && Object.keys(result).length > 0) step.result = result;
  return step;
}
