// Planning the steps of widgets a person names by what they do: each match of "on all posts by X",
// a menu path ("File > Save"), a section to expand or collapse, a dialog to close. plan.ts routes
// intents here; finding targets is match.ts and locate.ts.
import { clickedWord, clickFields, targetOf, type ClickHow } from '../targets.js';
import type { ElementInfo } from '../types.js';
import { displayName, offered, quote } from './describe.js';
import type { Intent } from './intents.js';
import { findTarget, rank, type Purpose } from './match.js';
import { holds } from './text.js';
import type { TargetPhrase } from './phrases.js';
import { locate, type Plan, type PlanContext } from './locate.js';

const fail = (error: string): Plan => ({ kind: 'fail', error });

/** "Click Like on all posts by @ada": each match in turn (at most the number asked for). */
export function planClickEvery(phrase: TargetPhrase, how: ClickHow | undefined, ctx: PlanContext): Plan {
  // The matches of the first snapshot, kept: clicking may change names ("Like" → "Unlike").
  const first =
    (ctx.memo.get('every') as string[] | undefined) ??
    findEvery(ctx.page.elements, phrase, 'click').map((el) => el.css);
  ctx.memo.set('every', first);
  const all = first
    .map((css) => ctx.page.elements.find((el) => el.css === css))
    .filter((el): el is ElementInfo => !!el);
  const wanted = phrase.every === true ? all.length : Math.min(phrase.every ?? 1, all.length);
  if (phrase.every !== true && all.length < (phrase.every ?? 1))
    return fail(`could not find ${phrase.every} of ${quote(phrase.raw)} to click: the page has ${all.length}`);
  if (!all.length) return fail(`could not find ${quote(phrase.raw)} to click; ${offered(ctx.page.elements, 'click')}`);
  const el = all[Math.min(ctx.item, all.length - 1)];
  if (ctx.item >= wanted) return { kind: 'skip', summary: `clicked ${wanted}`, effect: 'advance' };
  return {
    kind: 'step',
    step: { type: 'click', target: targetOf(el), ...clickFields(how) },
    summary: `${clickedWord(how)} ${displayName(el)} (${ctx.item + 1} of ${wanted})`,
    effect: ctx.item + 1 < wanted ? 'item' : 'advance',
  };
}

/** "Select File > Save": hover each item of the path that opens a submenu, click the last. */
export function planMenu(intent: Extract<Intent, { verb: 'menu' }>, ctx: PlanContext): Plan {
  const index = ctx.item;
  const name = intent.path[index];
  const last = index + 1 >= intent.path.length;
  const phrase: TargetPhrase = { raw: name, text: name };
  // A submenu opens a moment after its parent is pointed at: wait for it once before exploring.
  const waited = `menu-wait:${index}`;
  if (index > 0 && 'hidden' in findTarget(ctx.page.elements, phrase, 'click') && !ctx.tried.has(waited)) {
    ctx.tried.add(waited);
    return {
      kind: 'step',
      step: { type: 'wait', ms: 400 },
      summary: `waited for the ${intent.path[index - 1]} menu`,
      effect: 'explore',
    };
  }
  const located = locate(ctx, phrase, 'click', last ? 'click' : 'open the menu');
  if ('plan' in located) return located.plan;
  const el = located.element;
  const effect = last ? 'advance' : 'item';
  // A parent item opens its submenu when pointed at; clicking it may count as choosing it.
  if (!last && (el.hasPopup || el.expanded === false || el.role.startsWith('menuitem')))
    return {
      kind: 'step',
      step: { type: 'hover', target: targetOf(el) },
      summary: `pointed at ${displayName(el)}`,
      effect,
    };
  return { kind: 'step', step: { type: 'click', target: targetOf(el) }, summary: `clicked ${displayName(el)}`, effect };
}

/** Openers that show or hide a part of the page: collapsible headers, summaries, tree nodes, aria-expanded buttons. */
const collapsible = (el: ElementInfo) =>
  el.visible &&
  !el.disabled &&
  el.expanded !== undefined &&
  ['button', 'link', 'tab', 'treeitem', 'menuitem', 'heading', 'generic'].includes(el.role);

export function planExpand(intent: Extract<Intent, { verb: 'expand' }>, ctx: PlanContext): Plan {
  const word = intent.open ? 'expanded' : 'collapsed';
  if (intent.target) {
    const located = locate(ctx, intent.target, 'click', intent.open ? 'expand' : 'collapse');
    if ('plan' in located) return located.plan;
    const el = located.element;
    if (el.expanded === intent.open)
      return { kind: 'skip', summary: `${displayName(el)} was already ${word}`, effect: 'advance' };
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(el) },
      summary: `${word === 'expanded' ? 'expanded' : 'collapsed'} ${displayName(el)}`,
      effect: 'advance',
    };
  }
  // "Expand the section below": the one section in that state; with several, the next clause's search opens the right one.
  // A header that wraps a button of its own is not just a header.
  const candidates = ctx.page.elements.filter(
    (el) =>
      collapsible(el) &&
      el.expanded === !intent.open &&
      !ctx.page.elements.some((inner) => inner.parent === el.ref && ['button', 'link', 'textbox'].includes(inner.role)),
  );
  if (candidates.length === 1)
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(candidates[0]) },
      summary: `${word} ${displayName(candidates[0])}`,
      effect: 'advance',
    };
  return {
    kind: 'skip',
    summary: candidates.length
      ? `left the sections for the next step to open`
      : `nothing to ${intent.open ? 'expand' : 'collapse'}`,
    effect: 'advance',
  };
}

const CLOSE_WORDS = ['close', 'x', '×', '✕', 'dismiss', 'cancel', 'no thanks', 'got it', 'ok'];

/** "Close the dialog": its close control (a button named close/x/×), else Escape. */
export function planClose(intent: Extract<Intent, { verb: 'close' }>, ctx: PlanContext): Plan {
  const phrase: TargetPhrase = intent.target ?? { raw: 'the close button', text: 'close', anyOf: CLOSE_WORDS.slice(1) };
  const found = findTarget(ctx.page.elements, phrase, 'click');
  if ('element' in found)
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(found.element) },
      summary: `closed ${displayName(found.element)}`,
      effect: 'advance',
    };
  if (intent.target) {
    const located = locate(ctx, intent.target, 'click', 'close');
    if ('plan' in located) return located.plan;
  }
  return {
    kind: 'step',
    step: { type: 'press', key: 'Escape' },
    summary: 'pressed Escape to close it',
    effect: 'advance',
  };
}

/** Every visible element the phrase means, in page order ("the Like button on all posts by @ada"). */
export function findEvery(elements: ElementInfo[], phrase: TargetPhrase, purpose: Purpose): ElementInfo[] {
  const head: TargetPhrase = {
    ...phrase,
    within: undefined,
    withinOrdinal: undefined,
    whole: undefined,
    every: undefined,
  };
  const within = phrase.within;
  const pool =
    within === undefined
      ? elements
      : elements.filter((el) => holds(el.context, within) || (!!el.context && holds(el.text ?? el.name, within)));
  const best = rank(pool, head, purpose).filter((r) => r.element.visible);
  if (!best.length) return [];
  const top = best[0].textScore;
  const chosen = new Set(best.filter((r) => r.textScore >= top - 0.05).map((r) => r.element));
  return pool.filter((el) => chosen.has(el));
}
