// One intent + the page as it is now → the next step, "nothing left to do", or a failure that
// says which part of the instruction failed and what the page showed instead. Typing is
// plan-typing.ts, widgets plan-widgets.ts, reading plan-read.ts; finding targets is match.ts,
// revealing hidden ones explore.ts; the planner (planner.ts) keeps progress between calls.
import type { Action } from '../../actions/schemas.js';
import { clickedWord, clickFields, targetOf } from '../targets.js';
import type { ElementInfo } from '../types.js';
import { displayName, offered, quote } from './describe.js';
import type { Intent } from './intents.js';
import { findTarget, isCheckable, isDropdown, rank, textScore, type Purpose } from './match.js';
import { toUrl } from './keys-and-urls.js';
import type { TargetPhrase } from './phrases.js';
import { planExtract, planWait } from './plan-read.js';
import { fillStep, planFillFromPage, planType } from './plan-typing.js';
import { planClickEvery, planClose, planExpand, planMenu } from './plan-widgets.js';
import { locate, type Effect, type Plan, type PlanContext } from './locate.js';
import { matchOption } from './values.js';

const fail = (error: string): Plan => ({ kind: 'fail', error });

export function planIntent(intent: Intent, ctx: PlanContext): Plan {
  const { page } = ctx;
  const step = (planned: Action, summary: string, effect: Effect = 'advance'): Plan => ({
    kind: 'step',
    step: planned,
    summary,
    effect,
  });
  const on = (phrase: TargetPhrase, purpose: Purpose, action: string, then: (el: ElementInfo) => Plan) => {
    const located = locate(ctx, phrase, purpose, action);
    return 'plan' in located ? located.plan : then(located.element);
  };
  switch (intent.verb) {
    case 'navigate': {
      const url = toUrl(intent.url, page.url);
      return step({ type: 'navigate', url }, `opened ${url}`);
    }
    case 'history':
      return step({ type: intent.direction }, `went ${intent.direction}`);
    case 'reload':
      return step({ type: 'navigate', url: page.url }, 'reloaded the page');
    case 'open':
      return planOpen(intent.target, ctx);
    case 'click': {
      if (intent.target.every !== undefined) return planClickEvery(intent.target, intent.how, ctx);
      const located = locate(ctx, intent.target, 'click', 'click', { formWords: intent.openers });
      if ('plan' in located) return located.plan;
      return step(
        { type: 'click', target: targetOf(located.element), ...clickFields(intent.how) },
        `${clickedWord(intent.how)} ${displayName(located.element)}`,
      );
    }
    case 'type':
      return planType(intent, ctx);
    case 'select':
      return planSelect(intent, ctx);
    case 'check':
      return planCheck(intent, ctx);
    case 'press':
      if (!intent.target) return step({ type: 'press', key: intent.key }, `pressed ${intent.key}`);
      return on(intent.target, 'any', `press ${intent.key} in`, (el) =>
        step({ type: 'press', key: intent.key, target: targetOf(el) }, `pressed ${intent.key} in ${displayName(el)}`),
      );
    case 'focus':
      return on(intent.target, 'any', 'focus', (el) =>
        step({ type: 'focus', target: targetOf(el) }, `focused ${displayName(el)}`),
      );
    case 'hover':
      return on(intent.target, 'any', 'hover over', (el) =>
        step({ type: 'hover', target: targetOf(el) }, `hovered over ${displayName(el)}`),
      );
    case 'scroll':
      if (!intent.target)
        return step(
          { type: 'scroll', direction: intent.direction ?? 'down' },
          `scrolled ${intent.direction === 'top' || intent.direction === 'bottom' ? `to the ${intent.direction}` : (intent.direction ?? 'down')}`,
        );
      if (intent.direction)
        return on(intent.target, 'any', `scroll to the ${intent.direction} of`, (el) =>
          step(
            { type: 'scroll', target: targetOf(el), direction: intent.direction },
            `scrolled ${displayName(el)} to the ${intent.direction}`,
          ),
        );
      return on(intent.target, 'any', 'scroll to', (el) =>
        step({ type: 'scroll', target: targetOf(el) }, `scrolled to ${displayName(el)}`),
      );
    case 'wait':
      return planWait(intent, ctx);
    case 'extract':
      return planExtract(intent, ctx);
    case 'menu':
      return planMenu(intent, ctx);
    case 'expand':
      return planExpand(intent, ctx);
    case 'close':
      return planClose(intent, ctx);
    case 'fillFromPage':
      return planFillFromPage(ctx);
  }
}

function planOpen(phrase: TargetPhrase, ctx: PlanContext): Plan {
  const NAVIGABLE = ['link', 'button', 'tab', 'menuitem'];
  // "open the first product", "open the Details of Green Kettle": a position or an item, as for a click.
  if (phrase.ordinal !== undefined || phrase.within !== undefined || phrase.withinOrdinal !== undefined) {
    const located = locate(ctx, phrase, 'open', 'open');
    if ('plan' in located) return located.plan;
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(located.element) },
      summary: `clicked ${displayName(located.element)}`,
      effect: 'advance',
    };
  }
  const best = rank(ctx.page.elements, phrase, 'open').find(
    (r) => r.element.visible && r.textScore >= 0.7 && NAVIGABLE.includes(r.element.role),
  );
  if (best)
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(best.element) },
      summary: `clicked ${displayName(best.element)}`,
      effect: 'advance',
    };
  return fail(
    `could not navigate to ${quote(phrase.raw)}: it is not an address and no link or button on this page is named like it; ` +
      `give the address (e.g. "go to https://…") — ${offered(ctx.page.elements, 'open')}`,
  );
}

function planSelect(intent: Extract<Intent, { verb: 'select' }>, ctx: PlanContext): Plan {
  if (intent.target) {
    const located = locate(ctx, intent.target, 'select', `select '${intent.value}' in`);
    return 'plan' in located ? located.plan : fillStep(intent, located.element, ctx.now);
  }
  for (const el of ctx.page.elements.filter((e) => e.visible && !e.disabled && isDropdown(e) && e.options?.length)) {
    if (matchOption(el.options ?? [], intent.value, ctx.now) !== undefined) return fillStep(intent, el, ctx.now);
  }
  const located = locate(ctx, { raw: intent.value, text: intent.value }, 'click', 'select', { offerFor: 'select' });
  if ('plan' in located) return located.plan;
  const el = located.element;
  const step: Action = isCheckable(el)
    ? { type: 'check', target: targetOf(el), checked: true }
    : { type: 'click', target: targetOf(el) };
  return { kind: 'step', step, summary: `selected ${displayName(el)}`, effect: 'advance' };
}

function planCheck(intent: Extract<Intent, { verb: 'check' }>, ctx: PlanContext): Plan {
  const wording = intent.checked === 'toggle' ? 'toggle' : intent.checked ? 'check' : 'uncheck';
  const checkOne = (el: ElementInfo, effect: 'advance' | 'item'): Plan => {
    const wanted = intent.checked === 'toggle' ? !el.checked : intent.checked;
    const name = displayName(el);
    if (el.checked === wanted)
      return { kind: 'skip', summary: `${name} was already ${wanted ? 'checked' : 'unchecked'}`, effect };
    return {
      kind: 'step',
      step: { type: 'check', target: targetOf(el), checked: wanted },
      summary: `${wanted ? 'checked' : 'unchecked'} ${name}`,
      effect,
    };
  };
  // "check Terms and Conditions" is one box when the page has one called so.
  if (intent.together && ctx.item === 0) {
    const whole = findTarget(ctx.page.elements, intent.together, 'check');
    if ('element' in whole && textScore(whole.element, intent.together) >= 0.9)
      return checkOne(whole.element, 'advance');
  }
  const phrase = intent.items[ctx.item];
  const located = locate(ctx, phrase, 'check', wording);
  return 'plan' in located
    ? located.plan
    : checkOne(located.element, ctx.item + 1 >= intent.items.length ? 'advance' : 'item');
}
