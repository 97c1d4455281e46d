// Looking for a target the page does not show yet: behind a tab, a collapsed section
// (details/summary, aria-expanded=false), a menu or a tree node — or, for a form the instruction
// fills, behind a "Create"/"New …" button. Picks the opener most related to the words or to where
// a hidden match sits in the page; otherwise the next one not tried yet. Bounded per clause.
import type { ElementInfo, PageSnapshot } from '../types.js';
import type { TargetPhrase } from './phrases.js';
import { cssWords, similarity } from './text.js';

/** Exploration clicks allowed while looking for one target. */
export const MAX_EXPLORATION_CLICKS = 8;

export type OpenerKind = 'tab' | 'section' | 'menu' | 'tree node' | 'button' | 'page';

export interface Opener {
  element: ElementInfo;
  kind: OpenerKind;
  relation: number;
}

/** Identifies an opener across snapshots (refs change, these do not). */
export const openerKey = (el: { role?: string; name?: string; css?: string }) =>
  `${el.role ?? ''}|${el.name ?? ''}|${el.css ?? ''}`;

const MENU_NAMES = /^(?:menu|main menu|more|more actions|more options|actions|options|⋮|⋯|…|\.\.\.|☰|≡)$|\bmenu\b/i;

function kindOf(el: ElementInfo, formWords: string[]): OpenerKind | undefined {
  if (!el.visible || el.disabled) return undefined;
  if (el.role === 'tab') return el.selected === true ? undefined : 'tab';
  if (el.role === 'treeitem') return el.expanded === false ? 'tree node' : undefined;
  if (el.expanded === false && ['button', 'link', 'menuitem', 'combobox'].includes(el.role)) {
    return el.tag === 'summary' ? 'section' : el.role === 'menuitem' || MENU_NAMES.test(el.name) ? 'menu' : 'section';
  }
  if (el.expanded === undefined && el.role === 'button' && MENU_NAMES.test(el.name)) return 'menu';
  // The next page of a paged list: what is looked for may be further on.
  if (
    ['link', 'button'].includes(el.role) &&
    (/^(?:>|»|›|→|next page)$/i.test(el.name) ||
      (/\bnext\b/i.test(el.name) && /\bpag(?:e|ination|er)\b/.test(el.classes ?? '')))
  )
    return 'page';
  // A tree's or list's expander drawn without words (jQuery treeview's hit area, a caret, a plus).
  if (
    el.clickable &&
    /\b(?:expandable|collapsed|closed|hitarea|hit area|toggler?|caret|plus|expander)\b/.test(el.classes ?? '')
  )
    return 'tree node';
  // A plain element the page made clickable, called "more" or "menu" by its class: a "⋯" menu.
  if (el.clickable && !el.name && MENU_NAMES.test(el.classes ?? '')) return 'menu';
  if (['button', 'link'].includes(el.role) && formWords.some((word) => similarity(word, el.name) >= 0.75))
    return 'button';
  return undefined;
}

const parentOf = (css: string) => (css.includes(' > ') ? css.slice(0, css.lastIndexOf(' > ')) : undefined);

function relation(el: ElementInfo, kind: OpenerKind, phrase: TargetPhrase, hidden: ElementInfo | undefined): number {
  let score = 100 * Math.max(...[phrase.text, ...(phrase.anyOf ?? [])].map((words) => similarity(words, el.name)));
  if (hidden) {
    if (hidden.css.startsWith(`${el.css} > `)) score += 60;
    // The opener in the same item (post, row) as the hidden target: "more" beside it, not in another post.
    if (hidden.context && el.context === hidden.context) score += 50;
    const parent = parentOf(el.css);
    if (parent && hidden.css.startsWith(`${parent} > `)) score += 30;
    score += 40 * similarity(el.name, cssWords(hidden.css));
  }
  if (kind === 'button') score += 20;
  return score;
}

/**
 * The next element to click to reveal `phrase` (or `hidden`, its match that is not shown), or
 * undefined when every opener was tried. `seen` holds openers of earlier snapshots, so ones that
 * just appeared (the children of an opened tree node) go first among equals.
 */
export function nextOpener(
  page: PageSnapshot,
  phrase: TargetPhrase,
  hidden: ElementInfo | undefined,
  tried: ReadonlySet<string>,
  seen: ReadonlySet<string>,
  formWords: string[] = [],
): Opener | undefined {
  const openers: Opener[] = [];
  for (const element of page.elements) {
    const kind = kindOf(element, formWords);
    // A next-page link stays the same element page after page: it may be followed again.
    if (!kind || (kind !== 'page' && tried.has(openerKey(element)))) continue;
    const fresh = seen.size > 0 && !seen.has(openerKey(element)) ? 5 : 0;
    openers.push({ element, kind, relation: relation(element, kind, phrase, hidden) + fresh });
  }
  return openers.sort((a, b) => b.relation - a.relation)[0];
}

/** Keys of every opener on a page, to tell later which ones are new. */
export function openerKeys(page: PageSnapshot): string[] {
  return page.elements.filter((el) => kindOf(el, []) !== undefined).map(openerKey);
}
