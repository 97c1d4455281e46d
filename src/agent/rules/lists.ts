// Lists on a page, for "the first item", "the 3rd result" and "the list of todos": items that
// share a parent, with the heading before them and the parent's CSS path.
import type { ElementInfo } from '../types.js';
import { cssWords, similarity } from './text.js';

export const ITEM_ROLES = new Set(['listitem', 'option', 'treeitem', 'menuitem', 'row', 'article']);

/** Enough to pick a list by its heading ("todo items" → "Todos"). */
const MIN_LIST_SCORE = 0.35;

/** A list on the page: items sharing a parent, the heading before them, the parent's CSS path. */
export interface ListGroup {
  container?: string;
  heading?: string;
  items: ElementInfo[];
}

const parentCss = (css: string) => (css.includes(' > ') ? css.slice(0, css.lastIndexOf(' > ')) : undefined);

export function listGroups(elements: ElementInfo[]): ListGroup[] {
  const groups = new Map<string, ListGroup>();
  let heading: string | undefined;
  for (const el of elements) {
    if (el.role === 'heading' && el.visible) heading = el.name;
    if (!ITEM_ROLES.has(el.role) || !el.visible) continue;
    const container = parentCss(el.css);
    const key = container ?? `#loose-${heading ?? ''}`;
    const group = groups.get(key) ?? {
      ...(container ? { container } : {}),
      ...(heading ? { heading } : {}),
      items: [],
    };
    group.items.push(el);
    groups.set(key, group);
  }
  // Results that are not list items: links (or buttons) of the same shape, each in an item of its
  // own ("div > a.search-title" once per result).
  const shaped = new Map<string, ListGroup>();
  for (const el of elements) {
    if (!el.visible || !el.context || !(el.role === 'link' || el.role === 'button' || el.clickable)) continue;
    const key = `${el.role}|${el.css.replace(/:nth-of-type\(\d+\)/g, '')}|${el.classes ?? ''}`;
    const group = shaped.get(key) ?? { ...(el.classes ? { heading: el.classes } : {}), items: [] };
    group.items.push(el);
    shaped.set(key, group);
  }
  for (const group of shaped.values()) if (group.items.length > 1) groups.set(`shape-${groups.size}`, group);
  // A pager ("1 2 3 >") is no list of things.
  return [...groups.values()].filter((group) => !group.items.every((item) => PAGER.test(item.name.trim())));
}

const PAGER = /^(?:\d+|<|>|«|»|‹|›|prev(?:ious)?|next|first|last|…|\.\.\.)$/i;

const GENERIC_LIST_WORDS = /^(?:the\s+)?(?:items?|entries|elements|results|rows|options|things|list)?$/i;

/** The list the words name ("todo items" → the list under "Todos"), else the longest list. */
export function pickList(elements: ElementInfo[], words: string): ListGroup | undefined {
  const groups = listGroups(elements);
  if (!groups.length) return undefined;
  const longest = [...groups].sort((a, b) => b.items.length - a.items.length)[0];
  if (GENERIC_LIST_WORDS.test(words.trim())) return longest;
  let best: { group: ListGroup; score: number } | undefined;
  for (const group of groups) {
    const score = Math.max(
      similarity(words, group.heading),
      similarity(words, cssWords(group.container)),
      ...group.items
        .slice(0, 20)
        .map(
          (item) =>
            0.8 * Math.max(similarity(words, item.name), similarity(words, item.testId && cssWords(item.testId))),
        ),
    );
    if (score >= MIN_LIST_SCORE && (!best || score > best.score)) best = { group, score };
  }
  return best?.group ?? longest;
}
