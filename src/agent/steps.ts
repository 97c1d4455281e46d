// Runs one planned step (an Action, maybe with {{variables}}) through the one action executor: fills
// its variables, runs it (a replayed step's target verified first) and says what it did, in words
// (secret variables as {{name}}). The secrets guard sits here, where every step passes: no URL
// holding a secret is opened, and what is typed into a password field becomes a secret of the run.
// A click or key press the page refused (its own form validation) or answered with an error alert
// fails here (actions/page-feedback.ts), so a natural-language action never reports it as done.
import type { ActionContext, ActionResult } from '../actions/context.js';
import { runActions, StepError } from '../actions/executor.js';
import { MAX_WAIT_MS, type Action, type Target } from '../actions/schemas.js';
import { describePageSaid, type PageSaid } from '../actions/page-feedback.js';
import { describeTarget, placeTarget } from '../actions/targets.js';
import { NavisError } from '../errors.js';
import type { RunSecrets } from './run-secrets.js';
import { clickedWord, howClicked } from './targets.js';
import type { StepRecord } from './types.js';
import { interpolate } from './variables.js';

/** How long a planned wait for an element or a text may take (an action's default 10 s is short for a page that loads). */
const WAIT_TIMEOUT_MS = 30_000;

export class StepFailure extends Error {
  constructor(
    message: string,
    /** True when the element was not found or not the same one (a cache failure), false when acting failed. */
    readonly targetMissing: boolean,
    /** The step ran and the page answered with a refusal or an error: acting again would repeat it. */
    readonly pageAnswered = false,
  ) {
    super(message);
  }
}

export async function executeStep(
  ctx: ActionContext,
  step: Action,
  variables: Record<string, string>,
  opts: { verify: boolean; secrets: RunSecrets },
): Promise<StepRecord> {
  // A planned step remembers which of several look-alikes it acts on; a replayed one already does.
  if (!opts.verify && 'target' in step && step.target)
    step = { ...step, target: await placeTarget(ctx.page, step.target) };
  // A {{name}} this call has no value for (a model made it up, a cached step kept one) is the step failing, not a 400.
  const value = (text: string, as: 'text' | 'url' = 'text') => {
    try {
      return interpolate(text, variables, { as });
    } catch (error) {
      throw new StepFailure(error instanceof Error ? error.message : String(error), false);
    }
  };
  const action = filled(step, value);
  if (step.type === 'navigate' && action.type === 'navigate') {
    const refusal = opts.secrets.urlRefusal(step.url, action.url);
    if (refusal) throw new StepFailure(refusal, false);
  }
  if (action.type === 'type' && action.secret) opts.secrets.note(action.text);
  let result: ActionResult;
  try {
    result = (await runActions({ ...ctx, describeElements: false, verifyTargets: opts.verify }, [action])).results[0];
  } catch (error) {
    if (!(error instanceof StepError)) throw error;
    const { code, reason, targetMissing } = error.failure;
    // A URL the tenant may not open is the caller's 4xx (as for a task), not the action failing on the page.
    if (code === 'EGRESS_REFUSED' || code === 'URL_NOT_ALLOWED')
      throw new NavisError(code, reason, { url: error.details?.url });
    throw new StepFailure(reason, targetMissing ?? false);
  }
  // Issue 12: a click the page refused or answered with an error alert is no success.
  const said = result.pageSaid as PageSaid | undefined;
  if (said) throw new StepFailure(describePageSaid(said), false, true);
  const record: StepRecord = { step, summary: summaryOf(action, result, (text) => opts.secrets.mask(text)) };
  if (action.type === 'extract') record.extracted = typeof result.text === 'string' ? result.text : '';
  return record;
}

/** The step with its {{variables}} filled in, and the longer deadline planned waits have. */
function filled(step: Action, value: (text: string, as?: 'text' | 'url') => string): Action {
  switch (step.type) {
    case 'navigate':
      return { ...step, url: value(step.url, 'url') };
    case 'type':
    case 'select':
      return { ...step, text: value(step.text) };
    case 'wait': {
      const timeoutMs =
        step.timeoutMs ?? (step.ms !== undefined ? Math.min(step.ms, MAX_WAIT_MS) + 1000 : WAIT_TIMEOUT_MS);
      return { ...step, timeoutMs, ...(step.text !== undefined ? { text: value(step.text) } : {}) };
    }
    default:
      return step;
  }
}

/** What a step did, in words: `clicked button "Save"`. `shown`: a value as it may be shown (secret variables as {{name}}). */
function summaryOf(action: Action, result: ActionResult, shown: (text: string) => string): string {
  const name = (a: { target?: Target; selector?: string }) =>
    a.target ? describeTarget(a.target) : a.selector ? `'${a.selector}'` : 'the page';
  switch (action.type) {
    case 'navigate':
      return `opened ${action.url}`;
    case 'back':
    case 'forward':
      return `went ${action.type} to ${String(result.url)}`;
    case 'click':
      return `${clickedWord(howClicked(action))} ${name(action)}`;
    case 'type':
      return action.secret
        ? `typed a password into ${name(action)}`
        : `typed '${shown(action.text)}' into ${name(action)}`;
    case 'select':
      return `selected '${shown(action.text)}' in ${name(action)}`;
    case 'check':
      return `${(action.checked ?? true) ? 'checked' : 'unchecked'} ${name(action)}`;
    case 'press':
      return `pressed ${action.key}${action.target || action.selector ? ` in ${name(action)}` : ''}`;
    case 'hover':
    case 'focus':
      return `${action.type === 'hover' ? 'hovered' : 'focused'} ${name(action)}`;
    case 'scroll':
      return action.direction
        ? `scrolled ${action.direction}`
        : action.text !== undefined
          ? `scrolled to '${shown(action.text)}'`
          : `scrolled to ${name(action)}`;
    case 'wait':
      if (action.ms !== undefined) return `waited ${action.ms} ms`;
      return action.text !== undefined ? `waited for '${shown(action.text)}'` : `waited for ${name(action)}`;
    case 'extract':
      return `read ${action.description ?? name(action)}`;
    default:
      return `ran ${action.type}`;
  }
}
