// The page snapshot for a reader outside navis (an AI agent over MCP, GET /browser/sessions/{id}/snapshot):
// one line per element as the LLM planner sees it (ref, role, name, state), nested under the
// element it sits in and ending with a selector a typed action can use, then the visible text.
// A reader asks for a window of it (maxChars from offset) so no snapshot overflows its context.
import { invalid } from '../errors.js';
import { elementLine } from './llm/prompt.js';
import { ancestors } from './rules/match.js';
import type { ElementInfo, PageSnapshot } from './types.js';

/** The most elements one snapshot lists (a planner sees 400; a reader pages through more). */
export const SNAPSHOT_ELEMENT_LIMIT = 2000;
export const DEFAULT_SNAPSHOT_CHARS = 20_000;
/** Deeper nesting is drawn at this depth: the lines stay readable on pages of nested divs. */
const MAX_INDENT = 12;

export interface SnapshotWindow {
  /** How many characters of the text to answer at most. */
  maxChars: number;
  /** Where in the text the answer starts (the nextOffset of the previous part). */
  offset: number;
  /** A ref: only that element and the elements inside it (and no page text). */
  scope?: string;
}

export interface SnapshotPart {
  url: string;
  title: string;
  /** The text from offset, at most maxChars, cut after a whole line where it can be. */
  snapshot: string;
  offset: number;
  /** Where the next part starts; null when this part reaches the end. */
  nextOffset: number | null;
  totalChars: number;
  /** The snapshot goes on past this part. */
  truncated: boolean;
}

/** `[e4] button "Add" selector="#add"`, indented under the element it sits in. */
function line(e: ElementInfo, elements: ElementInfo[]): string {
  const depth = Math.min(ancestors(e, elements).length, MAX_INDENT);
  return `${'  '.repeat(depth)}${elementLine(e)} selector=${JSON.stringify(e.css)}`;
}

/** The whole text of a snapshot, or of the part of it inside `scope`. */
export function snapshotText(snapshot: PageSnapshot, scope?: string): string {
  const { elements } = snapshot;
  let shown = elements;
  if (scope !== undefined) {
    const root = elements.find((e) => e.ref === scope);
    if (!root) {
      const range = elements.length ? ` (it has e0 to e${elements.length - 1})` : ' (it has no elements)';
      throw invalid(
        `scope '${scope}' is not a ref of the page's snapshot${range}. Take a snapshot without scope to see the refs; they change when the page does.`,
      );
    }
    shown = elements.filter((e) => e === root || ancestors(e, elements).includes(root));
  }
  const lines = [`URL: ${snapshot.url}`, `Title: ${snapshot.title}`];
  if (scope !== undefined) lines.push(`Scope: ${scope} and the ${shown.length - 1} element(s) inside it`);
  lines.push(`Elements (${shown.length}):`);
  lines.push(...shown.map((e) => line(e, elements)));
  if (elements.length >= SNAPSHOT_ELEMENT_LIMIT)
    lines.push(`(the page has more elements than one snapshot lists: these are the first ${SNAPSHOT_ELEMENT_LIMIT})`);
  if (scope === undefined) lines.push('Page text:', snapshot.text || '(empty)');
  return `${lines.join('\n')}\n`;
}

/** The part of `text` from `offset`, at most `maxChars`, cut after its last whole line when one fits. */
export function textWindow(
  text: string,
  offset: number,
  maxChars: number,
): { part: string; nextOffset: number | null } {
  if (offset >= text.length) return { part: '', nextOffset: null };
  let end = Math.min(text.length, offset + maxChars);
  if (end < text.length) {
    const lastNewline = text.lastIndexOf('\n', end - 1);
    if (lastNewline >= offset) end = lastNewline + 1;
  }
  return { part: text.slice(offset, end), nextOffset: end < text.length ? end : null };
}

export function snapshotPart(snapshot: PageSnapshot, window: SnapshotWindow): SnapshotPart {
  const text = snapshotText(snapshot, window.scope);
  const { part, nextOffset } = textWindow(text, window.offset, window.maxChars);
  return {
    url: snapshot.url,
    title: snapshot.title,
    snapshot: part,
    offset: window.offset,
    nextOffset,
    totalChars: text.length,
    truncated: nextOffset !== null,
  };
}
