// Planning the steps that read rather than act: extract (an element, a list, the title or the
// page's text) and wait (for a time, a text or an element). A target not in the snapshot is read
// from the page's text instead, keeping only the lines with its words.
import type { Action } from '../../actions/schemas.js';
import { targetOf } from '../targets.js';
import { displayName } from './describe.js';
import type { Intent } from './intents.js';
import { pickList } from './lists.js';
import { findTarget, fitsHint, textScore } from './match.js';
import { describeTarget } from './phrases.js';
import { locate, type Plan, type PlanContext } from './locate.js';
import { planField, planNames, planStatus } from './plan-read-items.js';
import { normalize } from './text.js';

/** Elements read one by one for "all the links"; more would make a run of many steps. */
const MAX_READ_ONE_BY_ONE = 30;

export function planExtract(intent: Extract<Intent, { verb: 'extract' }>, ctx: PlanContext): Plan {
  const { what } = intent;
  const description = what.description;
  const read = (step: Action, reading?: Extract<Plan, { kind: 'step' }>['reading']): Plan => ({
    kind: 'step',
    step,
    summary: `read ${description}`,
    effect: 'advance',
    ...(reading ? { reading } : {}),
  });
  switch (what.kind) {
    case 'page':
      return read({ type: 'extract', description });
    case 'title':
      return read({ type: 'extract', target: { css: 'head > title' }, description }, { fallback: ctx.page.title });
    case 'list': {
      // "all the links", "the headings": each element of that kind, one extract step each.
      const kind = describeTarget(what.words);
      if (kind.role && !['item', 'list', 'row'].includes(kind.role)) {
        const all = ctx.page.elements
          .filter((el) => el.visible && fitsHint(el, kind.role) && (!kind.text || textScore(el, kind) >= 0.55))
          .slice(0, MAX_READ_ONE_BY_ONE);
        const el = all[ctx.item];
        if (!el) return read({ type: 'extract', description }, { matchWords: what.words });
        const step: Action = {
          type: 'extract',
          target: targetOf(el),
          description: `${description} (${ctx.item + 1} of ${all.length})`,
        };
        return {
          kind: 'step',
          step,
          summary: `read ${displayName(el)}`,
          effect: ctx.item + 1 < all.length ? 'item' : 'advance',
          reading: { fallback: el.name },
        };
      }
      const list = pickList(ctx.page.elements, what.words);
      if (!list) return read({ type: 'extract', description }, { matchWords: what.words });
      const names = list.items.map((item) => item.text ?? item.name);
      if (list.container)
        return read({ type: 'extract', target: { css: list.container }, description }, { fallback: names.join('\n') });
      return read({ type: 'extract', description }, { keepLines: names });
    }
    case 'field':
      return planField(what, ctx, read);
    case 'status':
      return planStatus(what, ctx, read);
    case 'names':
      return planNames(what, ctx, read) ?? planExtract({ ...intent, what: { ...what, kind: 'list' } }, ctx);
    case 'element': {
      const found = findTarget(ctx.page.elements, what.target, 'read');
      // "the heading" on a page with several: the first one.
      if ('element' in found || 'ambiguous' in found) {
        const el = 'element' in found ? found.element : found.ambiguous[0];
        return read(
          { type: 'extract', target: targetOf(el), description },
          { fallback: el.value ?? el.text ?? el.name },
        );
      }
      if ('hidden' in found) {
        const located = locate(ctx, what.target, 'read', 'read');
        if ('plan' in located) return located.plan;
        return read({ type: 'extract', target: targetOf(located.element), description });
      }
      // Issue 12: a named thing whose words are nowhere on the page is not found, not the whole page.
      const named = normalize(what.target.text)
        .split(' ')
        .filter((word) => word.length > 2);
      const text = normalize(ctx.page.text);
      if (named.length && !named.some((word) => text.includes(word)))
        return { kind: 'fail', error: `could not find ${JSON.stringify(what.target.text)} on the page to read it` };
      return read({ type: 'extract', description }, { matchWords: what.target.text });
    }
  }
}

export function planWait(intent: Extract<Intent, { verb: 'wait' }>, ctx: PlanContext): Plan {
  const wait = (step: Action, summary: string): Plan => ({ kind: 'step', step, summary, effect: 'advance' });
  if (intent.ms !== undefined) return wait({ type: 'wait', ms: intent.ms }, `waited ${intent.ms} ms`);
  if (intent.text !== undefined) return wait({ type: 'wait', text: intent.text }, `waited for '${intent.text}'`);
  const phrase = intent.target;
  if (!phrase) return wait({ type: 'wait', ms: 1000 }, 'waited 1000 ms');
  const found = findTarget(ctx.page.elements, phrase, 'any');
  if ('element' in found)
    return wait({ type: 'wait', target: targetOf(found.element) }, `waited for ${displayName(found.element)}`);
  // Not on the page yet: wait for its words to show up (the executor gives up after its timeout).
  const text = phrase.text || phrase.raw;
  return wait({ type: 'wait', text }, `waited for '${text}'`);
}

/** The part of an extract step's text that answers the instruction. */
export function readingOf(extracted: string | undefined, reading: Extract<Plan, { kind: 'step' }>['reading']): string {
  const text = (extracted ?? '').trim();
  if (!reading) return text;
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (reading.keepLines?.length) {
    const wanted = new Set(reading.keepLines.map(normalize));
    const kept = lines.filter((line) => wanted.has(normalize(line)));
    if (kept.length) return kept.join('\n');
  }
  if (reading.matchWords) {
    const words = normalize(reading.matchWords)
      .split(' ')
      .filter((word) => word.length > 2);
    const kept = lines.filter((line) => words.some((word) => normalize(line).includes(word)));
    if (kept.length) return kept.join('\n');
  }
  return text || (reading.fallback ?? '');
}
