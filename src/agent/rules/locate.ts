// What the rule planner's planning works with (PlanContext), what it answers (Plan), and finding
// the element a phrase means, or revealing it by exploring: shared by plan.ts and plan-read.ts.
import { targetOf } from '../targets.js';
import type { Action } from '../../actions/schemas.js';
import type { ElementInfo, PageSnapshot, StepRecord } from '../types.js';
import { displayName, offered, quote } from './describe.js';
import { MAX_EXPLORATION_CLICKS, nextOpener, openerKey, type Opener } from './explore.js';
import { pickList } from './lists.js';
import { ancestors, findTarget, type Purpose } from './match.js';
import type { TargetPhrase } from './phrases.js';

export interface PlanContext {
  /** The instruction as planned (secret values as {{name}}): to tell it apart from the page's own text. */
  instruction: string;
  page: PageSnapshot;
  history: StepRecord[];
  now: Date;
  /** The next item of a check intent ("check Apples and Pears"). */
  item: number;
  /** Openers clicked while looking for this intent's target, by key, and their names. */
  tried: Set<string>;
  explored: string[];
  /** Opener keys of the earlier snapshots of this intent. */
  seen: Set<string>;
  /** What planning this intent decided once and keeps (the elements of "on all posts by …"). */
  memo: Map<string, unknown>;
}

export type Effect = 'advance' | 'item' | 'explore';

/** How an extract step's text becomes part of the result. */
export interface Reading {
  /** Keep only these lines (the items of a list read from the page text). */
  keepLines?: string[];
  /** Keep only the lines with these words (a target read from the page text). */
  matchWords?: string;
  /** When nothing was read: the value the snapshot showed. */
  fallback?: string;
}

export type Plan =
  /** `opener`: the element clicked while exploring, so it is not tried again. */
  | {
      kind: 'step';
      step: Action;
      summary: string;
      effect: Effect;
      thought?: string;
      opener?: { key: string; name: string };
      reading?: Reading;
    }
  | { kind: 'skip'; summary: string; effect: 'advance' | 'item' }
  | { kind: 'fail'; error: string };

export type Located = { element: ElementInfo } | { plan: Plan };

const fail = (error: string): Plan => ({ kind: 'fail', error });

/** The element a phrase means, or the plan to reveal it (exploring), or why it cannot be found. */
export function locate(
  ctx: PlanContext,
  phrase: TargetPhrase,
  purpose: Purpose,
  action: string,
  opts: { formWords?: string[]; offerFor?: Purpose } = {},
): Located {
  // "the 4th result" after a next page was followed: counted from where this page starts.
  const offset = (ctx.memo.get('ordinal offset') as number | undefined) ?? 0;
  const counted =
    offset && phrase.ordinal && phrase.ordinal > 0 ? { ...phrase, ordinal: phrase.ordinal - offset } : phrase;
  const found = findTarget(ctx.page.elements, counted, purpose);
  if ('element' in found) {
    // A popup that came up on its own (and disabled the form under it) is declined first.
    const decline = found.element.disabled ? popupDecline(ctx) : undefined;
    return decline ? { plan: decline } : found;
  }
  if ('ambiguous' in found) {
    const names = found.ambiguous.slice(0, 10).map((el) => quote(displayName(el)));
    return {
      plan: fail(
        `could not tell which element ${quote(phrase.raw)} means to ${action}: the page has ${found.ambiguous.length} (${names.join(', ')}); name one, e.g. ${action} ${displayName(found.ambiguous[0])}`,
      ),
    };
  }
  const hidden = 'hidden' in found ? found.hidden : undefined;
  if (!hidden && purpose === 'click' && SUBMIT_WORDS.test(phrase.text.trim())) {
    const decline = popupDecline(ctx);
    if (decline) return { plan: decline };
    const confirm = soleConfirmButton(ctx);
    if (confirm) return { element: confirm };
  }
  if (ctx.explored.length < MAX_EXPLORATION_CLICKS) {
    const opener = nextOpener(ctx.page, phrase, hidden, ctx.tried, ctx.seen, opts.formWords);
    if (opener) {
      // Past the end of this page's list: the next page goes on counting.
      if (opener.kind === 'page' && counted.ordinal && counted.ordinal > 0)
        ctx.memo.set('ordinal offset', offset + (pickList(ctx.page.elements, phrase.text)?.items.length ?? 0));
      return { plan: exploreStep(opener, phrase) };
    }
  }
  let error = `could not find ${quote(phrase.raw)} to ${action}; ${offered(ctx.page.elements, opts.offerFor ?? purpose)}`;
  if (hidden) error += `; ${quote(displayName(hidden))} is on the page but hidden`;
  if (ctx.explored.length) error += ` (also looked behind ${ctx.explored.map(quote).join(', ')})`;
  return { plan: fail(error) };
}

const DECLINE = /^(?:cancel|no|no thanks|not now|close|dismiss|skip|later|maybe later|×|✕|x)$/i;
const POPUP_WORDS = /\b(?:popup|pop up|modal|dialog|overlay|lightbox|interstitial)\b/i;

/** Whether an element sits in a popup: inside a dialog, or in something its id or class calls a popup. */
function inPopup(el: ElementInfo, elements: ElementInfo[]): boolean {
  return [el, ...ancestors(el, elements)].some(
    (up) => up.role === 'dialog' || up.role === 'alertdialog' || POPUP_WORDS.test(`${up.classes ?? ''} ${up.css}`),
  );
}

/** The Cancel/No/Close button of a popup on the page, once per step: an unasked question is declined. */
function popupDecline(ctx: PlanContext): Plan | undefined {
  if (ctx.memo.has('declined')) return undefined;
  const button = ctx.page.elements.find(
    (el) => el.visible && !el.disabled && DECLINE.test(displayName(el)) && inPopup(el, ctx.page.elements),
  );
  if (!button) return undefined;
  ctx.memo.set('declined', true);
  return {
    kind: 'step',
    step: { type: 'click', target: targetOf(button) },
    summary: `declined a popup (${displayName(button)})`,
    effect: 'explore',
  };
}

/** Words for sending a form: "press login" on a page whose one button says OK. */
const SUBMIT_WORDS =
  /^(?:log ?in|login|sign ?in|submit|send|go|search|continue|next|save|ok|okay|done|confirm|apply|enter)$/i;
const CONFIRM_NAMES = /^(?:ok|okay|submit|go|continue|next|done|confirm|enter|send)$/i;

/** The page's one confirming button (OK, Submit, Go…) when the words ask to send a form and no button is named so. */
function soleConfirmButton(ctx: PlanContext): ElementInfo | undefined {
  const buttons = ctx.page.elements.filter(
    (el) => el.visible && !el.disabled && el.role === 'button' && !inPopup(el, ctx.page.elements),
  );
  const confirming = buttons.filter((el) => CONFIRM_NAMES.test(displayName(el)));
  return confirming.length === 1 ? confirming[0] : undefined;
}

function exploreStep(opener: Opener, phrase: TargetPhrase): Plan {
  const name = displayName(opener.element);
  const summary = {
    tab: `opened the ${name} tab`,
    section: `expanded ${name}`,
    menu: `opened the ${name} menu`,
    'tree node': `expanded ${name}`,
    button: `clicked ${name}`,
    page: `went to the next page`,
  }[opener.kind];
  return {
    kind: 'step',
    step: { type: 'click', target: targetOf(opener.element) },
    summary,
    effect: 'explore',
    thought: `looking for ${quote(phrase.raw)}: trying the ${opener.kind} ${quote(name)}`,
    opener: { key: openerKey(opener.element), name },
  };
}
