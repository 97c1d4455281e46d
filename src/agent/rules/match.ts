// Which element of a snapshot an instruction's words mean. Scores the words against the
// accessible name, label, placeholder, text and test id (exact, then contained, then token
// overlap, then a small typo), prefers visible elements and the roles the verb implies (type →
// text fields, click → buttons and links…), and reports a hidden best match so explore.ts can
// reveal it. Lists (for "the first item", "the list of todos") are grouped by their parent.
import type { ElementInfo } from '../types.js';
import type { RoleHint, TargetPhrase } from './phrases.js';
import { ITEM_ROLES, pickList } from './lists.js';
import { cssWords, holds, similarity } from './text.js';

/** What the element is wanted for: decides which roles may and which should be chosen. */
export type Purpose = 'click' | 'open' | 'type' | 'select' | 'check' | 'read' | 'any';

const TEXT_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);
const NOT_TYPABLE = new Set([
  'checkbox',
  'radio',
  'submit',
  'button',
  'reset',
  'file',
  'image',
  'range',
  'color',
  'hidden',
]);
const CLICKABLE = new Set([
  'button',
  'link',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'tab',
  'checkbox',
  'radio',
  'switch',
  'option',
  'treeitem',
]);
const CONTAINERS = new Set([
  'group',
  'region',
  'list',
  'dialog',
  'generic',
  'form',
  'main',
  'navigation',
  'tabpanel',
  'menu',
  'tree',
  'tablist',
  'table',
  'grid',
]);

export const isField = (el: ElementInfo) =>
  (TEXT_ROLES.has(el.role) && !NOT_TYPABLE.has(el.inputType ?? '')) || el.tag === 'textarea';
export const isDropdown = (el: ElementInfo) => el.tag === 'select' || el.role === 'listbox' || el.role === 'combobox';
export const isCheckable = (el: ElementInfo) =>
  ['checkbox', 'radio', 'switch', 'menuitemcheckbox', 'menuitemradio'].includes(el.role);

const HINTS: Record<RoleHint, (el: ElementInfo) => boolean> = {
  button: (el) => el.role === 'button',
  link: (el) => el.role === 'link',
  field: (el) => isField(el) || isDropdown(el),
  checkbox: (el) => ['checkbox', 'switch', 'menuitemcheckbox'].includes(el.role),
  radio: (el) => ['radio', 'menuitemradio'].includes(el.role),
  dropdown: isDropdown,
  tab: (el) => el.role === 'tab',
  menu: (el) => el.role === 'menu' || (el.expanded !== undefined && ['button', 'menuitem', 'link'].includes(el.role)),
  menuitem: (el) => el.role.startsWith('menuitem'),
  item: (el) => ITEM_ROLES.has(el.role),
  row: (el) => el.role === 'row',
  heading: (el) => el.role === 'heading',
  option: (el) => ['option', 'radio', 'menuitemradio'].includes(el.role),
  image: (el) => ['img', 'button', 'link'].includes(el.role),
  cell: (el) => ['cell', 'gridcell', 'columnheader', 'rowheader'].includes(el.role),
  section: (el) => ['group', 'region', 'heading'].includes(el.role) || el.tag === 'summary',
  list: (el) => el.role === 'list' || el.role === 'listitem',
  dialog: (el) => el.role === 'dialog' || el.role === 'alertdialog',
};

export function fitsHint(el: ElementInfo, hint: RoleHint | undefined): boolean {
  return !hint || HINTS[hint](el);
}

/** "the text area" is a <textarea>, "the text input" an <input>. */
const fitsTag = (el: ElementInfo, tag: TargetPhrase['tag']) => !tag || el.tag === tag;

function allowed(el: ElementInfo, purpose: Purpose): boolean {
  if (purpose === 'type' || purpose === 'select') return isField(el) || isDropdown(el);
  if (purpose === 'check') return isCheckable(el);
  return true;
}

function preference(el: ElementInfo, purpose: Purpose): number {
  switch (purpose) {
    case 'click':
    case 'open':
      return (
        (CLICKABLE.has(el.role) || el.clickable ? 15 : CONTAINERS.has(el.role) ? -20 : 0) +
        (purpose === 'open' && el.role === 'link' ? 5 : 0)
      );
    case 'type':
      return el.role === 'textbox' || el.role === 'searchbox' ? 10 : 0;
    case 'select':
      return isDropdown(el) ? 15 : 0;
    case 'read':
      return CONTAINERS.has(el.role) ? -5 : 0;
    default:
      return CLICKABLE.has(el.role) || isField(el) ? 5 : 0;
  }
}

/** How well the phrase's words (or one of its alternatives, slightly less) fit the element, 0..1. */
export function textScore(el: ElementInfo, phrase: TargetPhrase): number {
  const lastId = /#([^\s>]+)$/.exec(el.css)?.[1];
  const fields: [string | undefined, number][] = [
    [el.name, 1],
    [el.label, 1],
    [el.placeholder, 0.95],
    [el.text, 0.9],
    [el.testId && cssWords(el.testId), 0.8],
    [el.inputType === 'search' || el.role === 'searchbox' ? 'search' : undefined, 0.9],
    [lastId && cssWords(`#${lastId}`), 0.6],
    [el.classes, 0.7],
    // A field with no name of its own goes by the words beside it ("Country: [   ]").
    [(isField(el) || isDropdown(el)) && !el.name && !el.label && !el.placeholder ? el.context : undefined, 0.85],
    [el.href && el.role === 'link' ? cssWords(el.href.replace(/^\w+:\/\/[^/]+/, '')) : undefined, 0.5],
  ];
  const names = [phrase.text, ...(phrase.anyOf ?? [])].filter(Boolean);
  let best = 0;
  names.forEach((name, index) => {
    for (const [field, weight] of fields) {
      if (field) best = Math.max(best, similarity(name, field) * weight * (1 - 0.01 * index));
    }
  });
  return best;
}

export interface Ranked {
  element: ElementInfo;
  textScore: number;
  score: number;
}

/** Enough to act on: every word of the description, or a typo of it. */
const MIN_TEXT_SCORE = 0.55;

/** Elements the phrase may mean for this purpose, best first. */
export function rank(elements: ElementInfo[], phrase: TargetPhrase, purpose: Purpose): Ranked[] {
  const ranked: Ranked[] = [];
  for (const element of elements) {
    if (!allowed(element, purpose)) continue;
    const text = textScore(element, phrase);
    if (text < MIN_TEXT_SCORE) continue;
    const hint = phrase.role ? (HINTS[phrase.role](element) ? 20 : -10) : 0;
    // "Cancel" and "cancel" side by side: the one written the same way.
    const exact = phrase.text && (element.name === phrase.text || element.text === phrase.text) ? 2 : 0;
    const score =
      text * 100 +
      exact +
      preference(element, purpose) +
      hint +
      (element.visible ? 10 : -30) +
      (element.disabled ? -15 : 0);
    ranked.push({ element, textScore: text, score });
  }
  return ranked.sort((a, b) => b.score - a.score);
}

export type Found =
  | { element: ElementInfo }
  /** The best match exists but is not shown (a closed tab, section, menu or tree node). */
  | { hidden: ElementInfo }
  /** A generic description ("the text field") that fits several elements. */
  | { ambiguous: ElementInfo[] }
  | { missing: true };

/** What a value is rather than which field it goes in: "enter 3:50 PM as the time". */
const KIND_FIELD_WORDS = /^(?:date|time|day|number|amount|value|quantity|answer|name|word|code|password|email|item)$/i;
const WEAK_FIELD_WORDS = /^(?:search|text|input|query|main|entry|the|value)?$/i;

export function findTarget(elements: ElementInfo[], phrase: TargetPhrase, purpose: Purpose): Found {
  // "Search for flights" may be one button's name before it is "Search" for the item "flights".
  if (phrase.whole) {
    const whole = rank(elements, { raw: phrase.raw, text: phrase.whole, role: phrase.role }, purpose)[0];
    if (whole && whole.element.visible && whole.textScore >= 0.9) return { element: whole.element };
  }
  if (phrase.within !== undefined || phrase.withinOrdinal !== undefined) return findScoped(elements, phrase, purpose);
  if (phrase.ordinal !== undefined) {
    const element = pickOrdinal(elements, phrase, purpose);
    return element ? { element } : { missing: true };
  }
  if (phrase.text.trim() || phrase.anyOf?.length) {
    const ranked = rank(elements, phrase, purpose);
    const visible = ranked.find((r) => r.element.visible);
    const closest = [...ranked].sort((a, b) => b.textScore - a.textScore || b.score - a.score)[0];
    if (closest && !closest.element.visible && (!visible || closest.textScore > visible.textScore + 0.05))
      return { hidden: closest.element };
    // Quoted "et" is not the visible "Et.": the one written so, still hidden, is looked for.
    const written = (el: ElementInfo) =>
      el.name.trim() === phrase.text.trim() || el.text?.trim() === phrase.text.trim();
    if (phrase.exact && visible && !written(visible.element)) {
      const hiddenExact = ranked.find((r) => !r.element.visible && written(r.element));
      if (hiddenExact) return { hidden: hiddenExact.element };
    }
    // A container (a tab panel, a list) is clicked for its own name, not for a word inside its text.
    const container = (el: ElementInfo) => CONTAINERS.has(el.role) && !el.clickable;
    if (
      visible &&
      (purpose === 'click' || purpose === 'open') &&
      container(visible.element) &&
      visible.textScore < 0.9
    ) {
      const control = ranked.find((r) => r.element.visible && !container(r.element));
      if (!control) return closest && !closest.element.visible ? { hidden: closest.element } : { missing: true };
      return { element: innermost(control, ranked, elements).element };
    }
    if (visible) return { element: innermost(visible, ranked, elements).element };
  }
  // "the text field", "the search box", "the input": fine when the page has exactly one.
  const fieldish = purpose === 'type' || purpose === 'select' || phrase.role === 'field';
  const kindWords = fieldish && KIND_FIELD_WORDS.test(phrase.text.trim());
  if (!phrase.text.trim() || (fieldish && WEAK_FIELD_WORDS.test(phrase.text.trim())) || kindWords) {
    const fitting = (tag: TargetPhrase['tag']) =>
      elements.filter(
        (el) =>
          el.visible &&
          (!el.disabled || purpose === 'any' || purpose === 'read') &&
          allowed(el, purpose) &&
          fitsHint(el, phrase.role ?? (purpose === 'type' ? 'field' : undefined)) &&
          fitsTag(el, tag),
      );
    // "the text field" is the one-line input beside a text area; on a page with only one kind, either.
    const tagged = fitting(phrase.tag);
    const fits = tagged.length || !phrase.tag ? tagged : fitting(undefined);
    const searchFields = fits.filter((el) => el.inputType === 'search' || el.role === 'searchbox');
    // "as the date" on a page whose one field has no name at all: that field.
    if (kindWords)
      return fits.length === 1 && !fits[0].name && !fits[0].label ? { element: fits[0] } : { missing: true };
    if (fits.length === 1 || (fits.length > 1 && phrase.any)) return { element: fits[0] };
    if (/search/i.test(phrase.text) && searchFields.length === 1) return { element: searchFields[0] };
    if (fits.length > 1 && !phrase.text.trim()) return { ambiguous: fits };
  }
  return { missing: true };
}

/**
 * A target in an item: among the elements of the item named by `within` (its row, card or list
 * item holds those words), or of the nth item among those that have a match.
 */
function findScoped(elements: ElementInfo[], phrase: TargetPhrase, purpose: Purpose): Found {
  const head: TargetPhrase = { ...phrase, within: undefined, withinOrdinal: undefined, whole: undefined };
  let pool: ElementInfo[];
  if (phrase.within !== undefined) {
    const within = phrase.within;
    pool = elements.filter((el) => holds(el.context, within) || (!!el.context && holds(el.text ?? el.name, within)));
    // One record on the page (a contact card, an open message) whose parts are not list items: its
    // name is shown, so the whole page is the item.
    if (!pool.length && elements.some((el) => el.visible && holds(el.text ?? el.name, within))) pool = elements;
  } else {
    const matches = head.text.trim()
      ? rank(elements, head, purpose).map((r) => r.element)
      : elements.filter((el) => el.visible && allowed(el, purpose) && fitsHint(el, head.role));
    const items = [...new Set(matches.filter((el) => el.visible && el.context).map((el) => el.context))];
    const wanted = phrase.withinOrdinal === -1 ? items[items.length - 1] : items[(phrase.withinOrdinal ?? 1) - 1];
    pool = wanted === undefined ? [] : elements.filter((el) => el.context === wanted);
  }
  if (!pool.length) return { missing: true };
  const within = phrase.within;
  // "the email by Ada" with nothing more: the item itself, or the first control that shows those words.
  const own = () =>
    within === undefined
      ? undefined
      : pool.find((el) => el.visible && holds(el.text ?? el.name, within) && preference(el, purpose) > 0);
  if (!head.text.trim() && !head.role && !head.anyOf?.length) {
    const item = own();
    return item ? { element: item } : { missing: true };
  }
  const found = findTarget(pool, head, purpose);
  if (!('missing' in found)) return found;
  const item = own();
  return item ? { element: item } : found;
}

/** Whether `el` sits inside `container` (by the snapshot's parent refs, else by CSS path). */
export function isInside(el: ElementInfo, container: ElementInfo, elements: ElementInfo[]): boolean {
  return el.css.startsWith(`${container.css} > `) || ancestors(el, elements).some((up) => up.ref === container.ref);
}

/** Each snapshot's elements by ref, built once per snapshot however often ancestors are asked for. */
const refIndex = new WeakMap<ElementInfo[], Map<string, ElementInfo>>();

/** The snapshot elements an element sits in, nearest first (by the snapshot's parent refs). */
export function ancestors(el: ElementInfo, elements: ElementInfo[]): ElementInfo[] {
  let byRef = refIndex.get(elements);
  if (!byRef) refIndex.set(elements, (byRef = new Map(elements.map((e) => [e.ref, e]))));
  const out: ElementInfo[] = [];
  for (let up = el.parent ? byRef.get(el.parent) : undefined; up; up = up.parent ? byRef.get(up.parent) : undefined)
    out.push(up);
  return out;
}

/** A control inside an equally good container (a button inside its tree item) is the one meant. */
function innermost(best: Ranked, ranked: Ranked[], elements: ElementInfo[]): Ranked {
  const inner = ranked.find(
    (r) =>
      r !== best &&
      r.element.visible &&
      r.textScore >= best.textScore - 0.01 &&
      isInside(r.element, best.element, elements),
  );
  return inner ? innermost(inner, ranked, elements) : best;
}

function pickOrdinal(elements: ElementInfo[], phrase: TargetPhrase, purpose: Purpose): ElementInfo | undefined {
  const nth = <T>(items: T[]) => (phrase.ordinal === -1 ? items[items.length - 1] : items[(phrase.ordinal ?? 1) - 1]);
  const hint = phrase.role ?? (purpose === 'check' ? 'checkbox' : purpose === 'type' ? 'field' : 'item');
  if (hint === 'item') {
    const item = nth(pickList(elements, phrase.text)?.items ?? []);
    // "click the 3rd result": the link or button of that item, not the item around it.
    const control =
      item &&
      (purpose === 'click' || purpose === 'open') &&
      ((purpose === 'open' &&
        elements.find((el) => el.visible && el.role === 'link' && isInside(el, item, elements))) ||
        elements.find((el) => el.visible && (CLICKABLE.has(el.role) || el.clickable) && isInside(el, item, elements)));
    return control || item;
  }
  const pool = elements.filter(
    (el) => el.visible && allowed(el, purpose) && HINTS[hint](el) && fitsTag(el, phrase.tag),
  );
  const named = phrase.text.trim() ? pool.filter((el) => textScore(el, phrase) >= MIN_TEXT_SCORE) : [];
  return nth(named.length ? named : pool);
}
