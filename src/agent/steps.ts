// Runs one planned step: interpolates its values, finds its element (verified on replay), turns it
// into a typed action and runs it through the one action executor. Returns what it did, in words
// (secret variables as {{name}}). The secrets guard sits here, where every step passes: no URL
// holding a secret is opened, and what is typed into a password field becomes a secret of the run.
import { pastRunDeadline, runActions, StepError, type ActionContext, type ActionResult } from '../actions/executor.js';
import type { Action } from '../actions/schemas.js';
import { NavisError } from '../errors.js';
import type { RunSecrets } from './run-secrets.js';
import { interpolate } from './variables.js';
import { clickedWord, describeTarget, resolveTarget } from './targets.js';
import type { PlannedStep, StepRecord, Target } from './types.js';

/** How long a step waits for its element to show up. */
const FIND_TIMEOUT_MS = 5000;

export class StepFailure extends Error {
  constructor(
    message: string,
    /** True when the element was not found or not the same one (a cache failure), false when acting failed. */
    readonly targetMissing: boolean,
  ) {
    super(message);
  }
}

export async function executeStep(
  ctx: ActionContext,
  step: PlannedStep,
  variables: Record<string, string>,
  opts: { verify: boolean; secrets: RunSecrets },
): Promise<StepRecord> {
  const find = async (target: Target) => {
    const found = await resolveTarget(ctx.page, target, { timeoutMs: FIND_TIMEOUT_MS, verify: opts.verify });
    if (!found.ok) throw new StepFailure(found.reason, true);
    return found.selector;
  };
  // A {{name}} this call has no value for (a model made it up, a cached step kept one) is the step failing, not a 400.
  const value = (text: string, as: 'text' | 'url' = 'text') => {
    try {
      return interpolate(text, variables, { as });
    } catch (error) {
      throw new StepFailure(error instanceof Error ? error.message : String(error), false);
    }
  };
  const shown = (text: string) => opts.secrets.mask(value(text));
  const run = async (action: Action): Promise<ActionResult> => {
    try {
      return (await runActions({ ...ctx, describeElements: false }, [action])).results[0];
    } catch (error) {
      if (!(error instanceof StepError)) throw error;
      const { code, reason } = error.failure;
      // A URL the tenant may not open is the caller's 4xx (as for a task), not the action failing on the page.
      if (code === 'EGRESS_REFUSED' || code === 'URL_NOT_ALLOWED') throw new NavisError(code, reason, { url: error.details?.url });
      throw new StepFailure(reason, false);
    }
  };
  const name = (target: Target) => describeTarget(target);

  switch (step.kind) {
    case 'navigate': {
      const url = value(step.url, 'url');
      const refusal = opts.secrets.urlRefusal(step.url, url);
      if (refusal) throw new StepFailure(refusal, false);
      await run({ type: 'navigate', url });
      return { step, summary: `opened ${url}` };
    }
    case 'history': {
      const result = await run({ type: step.direction });
      return { step, summary: `went ${step.direction} to ${String(result.url)}` };
    }
    case 'click': {
      const how = step.how === 'double' ? { clickCount: 2 } : step.how === 'right' ? { button: 'right' as const } : {};
      await run({ type: 'click', selector: await find(step.target), ...how });
      return { step, summary: `${clickedWord(step.how)} ${name(step.target)}` };
    }
    case 'type': {
      const text = value(step.value);
      if (step.secret) opts.secrets.note(text);
      await run({ type: 'type', selector: await find(step.target), text });
      return { step, summary: step.secret ? `typed a password into ${name(step.target)}` : `typed '${shown(step.value)}' into ${name(step.target)}` };
    }
    case 'select': {
      await run({ type: 'select', selector: await find(step.target), text: value(step.value) });
      return { step, summary: `selected '${shown(step.value)}' in ${name(step.target)}` };
    }
    case 'check':
      await run({ type: 'check', selector: await find(step.target), checked: step.checked });
      return { step, summary: `${step.checked ? 'checked' : 'unchecked'} ${name(step.target)}` };
    case 'press':
      await run({ type: 'press', key: step.key, ...(step.target ? { selector: await find(step.target) } : {}) });
      return { step, summary: `pressed ${step.key}${step.target ? ` in ${name(step.target)}` : ''}` };
    case 'hover':
      await run({ type: 'hover', selector: await find(step.target) });
      return { step, summary: `hovered ${name(step.target)}` };
    case 'focus':
      await run({ type: 'focus', selector: await find(step.target) });
      return { step, summary: `focused ${name(step.target)}` };
    case 'scroll': {
      if (step.target) {
        await run({ type: 'scroll', selector: await find(step.target) });
        return { step, summary: `scrolled to ${name(step.target)}` };
      }
      const script = {
        up: 'window.scrollBy(0, -window.innerHeight * 0.8)',
        down: 'window.scrollBy(0, window.innerHeight * 0.8)',
        top: 'window.scrollTo(0, 0)',
        bottom: 'window.scrollTo(0, document.documentElement.scrollHeight)',
      }[step.direction ?? 'down'];
      await run({ type: 'evaluate', script });
      return { step, summary: `scrolled ${step.direction ?? 'down'}` };
    }
    case 'wait': {
      if (step.target) await run({ type: 'wait', selector: await find(step.target), timeoutMs: 30_000 });
      else if (step.text) await run({ type: 'wait', text: value(step.text), timeoutMs: 30_000 });
      else await timedWait(ctx, Math.min(step.ms ?? 1000, 30_000));
      return { step, summary: step.target ? `waited for ${name(step.target)}` : step.text ? `waited for '${shown(step.text)}'` : `waited ${step.ms ?? 1000} ms` };
    }
    case 'extract': {
      const result = await run({ type: 'extract', ...(step.target ? { selector: await find(step.target) } : {}) });
      const text = typeof result.text === 'string' ? result.text : '';
      return { step, summary: `read ${step.description ?? (step.target ? name(step.target) : 'the page')}`, extracted: text };
    }
  }
}

/** A wait of `ms`, unless the run's deadline (NAVIS_MAX_TASK_MS) comes first: then it fails there. */
async function timedWait(ctx: ActionContext, ms: number): Promise<void> {
  const left = (ctx.runDeadline ?? Infinity) - Date.now();
  await ctx.page.waitForTimeout(Math.max(0, Math.min(ms, left)));
  if (ms > left) throw new StepFailure(pastRunDeadline(ctx.runDeadline!).message, false);
}
