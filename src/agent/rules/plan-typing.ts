// Planning what goes into fields: the value as the field wants it (a dropdown's option, a date, a
// time), the field the words name or the one just used, values read from the page (the value of a
// label, the nth word of a text, a copied text), every field of "both fields", a date picked from
// a read-only field's calendar, and the suggestion that fits "an item that starts with …".
import { targetOf } from '../targets.js';
import type { ElementInfo } from '../types.js';
import { planCalendar } from './calendar.js';
import { displayName, offered, quote } from './describe.js';
import type { Intent } from './intents.js';
import { findTarget, isDropdown, isField, textScore } from './match.js';
import type { TargetPhrase } from './phrases.js';
import { locate, type Plan, type PlanContext } from './locate.js';
import { cleanName, normalize } from './text.js';
import { formatDate, formatTime, matchOption, parseDate, parseTime } from './values.js';

const fail = (error: string): Plan => ({ kind: 'fail', error });

/** The field typed into when the instruction names none: the one just clicked or typed in, or the only one. */
export function implicitField(ctx: PlanContext): ElementInfo | ElementInfo[] {
  for (let i = ctx.history.length - 1; i >= 0; i--) {
    const done = ctx.history[i].step;
    if (done.type === 'press' && /Tab$/.test(done.key)) break; // focus moved somewhere the plan cannot see
    if (!('target' in done) || !done.target) continue;
    const target = done.target;
    const same = ctx.page.elements.find(
      (el) =>
        isField(el) && (el.css === target.css || (!!target.name && el.role === target.role && el.name === target.name)),
    );
    if (same) return same;
    break;
  }
  return ctx.page.elements.filter((el) => el.visible && !el.disabled && isField(el));
}

function convert(
  intent: Extract<Intent, { verb: 'type' | 'select' }>,
  el: ElementInfo,
  now: Date,
): { value: string } | { option: string } | { error: string } {
  if (isDropdown(el) && el.options?.length) {
    const option = matchOption(el.options, intent.value, now);
    if (option !== undefined) return { option };
    return {
      error: `${quote(displayName(el))} has no option like '${intent.value}'; its options: ${el.options.slice(0, 12).map(quote).join(', ')}`,
    };
  }
  const kind = 'valueKind' in intent ? intent.valueKind : undefined;
  if (kind === 'date' || el.inputType === 'date') {
    const date = parseDate(intent.value, now);
    if (date) return { value: formatDate(date, el.inputType === 'date' ? undefined : el.placeholder) };
  }
  if (kind === 'time' || el.inputType === 'time') {
    const minutes = parseTime(intent.value);
    if (minutes !== undefined) return { value: formatTime(minutes) };
  }
  return { value: intent.value };
}

export function fillStep(intent: Extract<Intent, { verb: 'type' | 'select' }>, el: ElementInfo, now: Date): Plan {
  const name = displayName(el);
  const converted = convert(intent, el, now);
  if ('error' in converted) return fail(converted.error);
  const target = targetOf(el);
  const add = intent.verb === 'select' && intent.add && el.role === 'listbox' ? { add: true } : {};
  if ('option' in converted)
    return {
      kind: 'step',
      step: { type: 'select', target, text: converted.option, ...add },
      summary: `selected '${converted.option}' in ${name}`,
      effect: 'advance',
    };
  const secret = el.inputType === 'password';
  const summary = secret
    ? `typed a password into ${name}`
    : converted.value === ''
      ? `cleared ${name}`
      : `typed '${converted.value}' into ${name}`;
  return {
    kind: 'step',
    step: { type: 'type', target, text: converted.value, ...(secret ? { secret: true } : {}) },
    summary,
    effect: 'advance',
  };
}

/** A value as errors may show it: never one meant for a password field. */
function shownValue(value: string, target: TargetPhrase | undefined): string {
  return target && /pass ?(?:word|code|phrase)|\bpin\b|secret|\botp\b/i.test(`${target.raw} ${target.text}`)
    ? 'a password'
    : `'${value}'`;
}

/** The value beside `words` on the page: the rest of the table row or list item that holds them. */
function valueBeside(words: string, ctx: PlanContext): string | undefined {
  const wanted = normalize(words);
  for (const el of ctx.page.elements) {
    const own = el.text ?? el.name;
    if (!el.visible || normalize(own) !== wanted || !el.context) continue;
    const context = el.context.trim();
    const rest = context.startsWith(own)
      ? context
          .slice(own.length)
          .replace(/^\s*:?\s*/, '')
          .trim()
      : '';
    if (rest) return rest;
  }
  const line = ctx.page.text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => normalize(l.split(':')[0]) === wanted && /:\s*\S/.test(l));
  return line ? line.slice(line.indexOf(':') + 1).trim() : undefined;
}

/** The text a description names: a field's value, an element's text, else the page's longest passage. */
function sourceText(source: TargetPhrase, ctx: PlanContext): string {
  const found = source.text || source.role ? findTarget(ctx.page.elements, source, 'read') : { missing: true as const };
  if ('element' in found) return found.element.value ?? found.element.text ?? found.element.name;
  // "the paragraph", "the text": the longest passage on the page that is not the instruction itself.
  const asked = normalize(ctx.instruction).slice(0, 40);
  return (
    ctx.page.text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !normalize(line).startsWith(asked))
      .sort((a, b) => b.length - a.length)[0] ?? ''
  );
}

/** Each empty field whose label the page shows a value for (a table row, "Label: value") gets that value. */
export function planFillFromPage(ctx: PlanContext): Plan {
  const labelOf = (el: ElementInfo) => cleanName(el.label || el.name || el.placeholder || el.context || '');
  const fields =
    (ctx.memo.get('fields') as string[] | undefined) ??
    ctx.page.elements
      .filter((el) => el.visible && !el.disabled && isField(el) && !el.value && labelOf(el))
      .filter((el) => valueBeside(labelOf(el), ctx) !== undefined)
      .map((el) => el.css);
  ctx.memo.set('fields', fields);
  if (!fields.length) return fail('no field on the page has a label the page shows a value for');
  const el = ctx.page.elements.find((e) => e.css === fields[ctx.item]);
  if (!el) return { kind: 'skip', summary: `filled ${fields.length} fields`, effect: 'advance' };
  const value = valueBeside(labelOf(el), ctx);
  if (value === undefined) return fail(`could not find a value for ${quote(labelOf(el))} on the page`);
  const planned = fillStep({ verb: 'type', clause: '', value }, el, ctx.now);
  return planned.kind === 'step' ? { ...planned, effect: ctx.item + 1 < fields.length ? 'item' : 'advance' } : planned;
}

export function planType(intent: Extract<Intent, { verb: 'type' }>, ctx: PlanContext): Plan {
  if (intent.valueFrom !== undefined) {
    const value = valueBeside(intent.valueFrom, ctx);
    if (value === undefined) return fail(`could not find the value of ${quote(intent.valueFrom)} on the page to type`);
    return planType({ ...intent, valueFrom: undefined, value }, ctx);
  }
  if (intent.wordFrom) {
    const { nth, source } = intent.wordFrom;
    const words = sourceText(source, ctx)
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
      .filter(Boolean);
    const value = nth === -1 ? words[words.length - 1] : words[nth - 1];
    if (value === undefined) return fail(`${quote(source.raw)} has no word number ${nth} (it has ${words.length})`);
    return planType({ ...intent, wordFrom: undefined, value }, ctx);
  }
  if (intent.copyFrom) {
    const source = findTarget(ctx.page.elements, intent.copyFrom, 'read');
    const el = 'element' in source ? source.element : undefined;
    const value = el && (el.value ?? el.text ?? el.name);
    if (!el || value === undefined)
      return fail(`could not find ${quote(intent.copyFrom.raw)} to copy from; ${offered(ctx.page.elements, 'type')}`);
    return planType({ ...intent, copyFrom: undefined, value }, ctx);
  }
  if (intent.all) return planTypeAll(intent, ctx);
  if (intent.pick && ctx.item > 0) return planPick(intent, intent.pick, ctx);
  const value = shownValue(intent.value, intent.target);
  const shown = intent.value === '' ? 'clear' : `type ${value} into`;
  if (intent.pick) {
    const planned = planType({ ...intent, pick: undefined }, ctx);
    return planned.kind === 'step' ? { ...planned, effect: 'item' } : planned;
  }
  if (intent.target) {
    const located = locate(ctx, intent.target, 'type', shown, { formWords: intent.openers });
    return 'plan' in located ? located.plan : fillOrPick(intent, located.element, ctx);
  }
  const field = implicitField(ctx);
  if (!Array.isArray(field)) return fillOrPick(intent, field, ctx);
  if (field.length === 1) return fillOrPick(intent, field[0], ctx);
  if (!field.length) return fail(`could not type ${value}: the page has no text field`);
  return fail(
    `could not tell which field to type ${value} into: ${offered(ctx.page.elements, 'type')}; name one, e.g. type ${value} into ${displayName(field[0])}`,
  );
}

/** "into both text fields": the value into each field the words describe, one step each. */
/** A readonly field takes a date from its calendar; any other field is typed into. */
function fillOrPick(intent: Extract<Intent, { verb: 'type' }>, el: ElementInfo, ctx: PlanContext): Plan {
  const date = el.readonly ? parseDate(intent.value, ctx.now) : undefined;
  return date ? planCalendar(el, date, ctx) : fillStep(intent, el, ctx.now);
}

function planTypeAll(intent: Extract<Intent, { verb: 'type' }>, ctx: PlanContext): Plan {
  const phrase = intent.target ?? { raw: 'the fields', text: '', role: 'field' as const };
  const fields = ctx.page.elements.filter(
    (el) => el.visible && !el.disabled && isField(el) && (!phrase.text || textScore(el, phrase) >= 0.55),
  );
  const el = fields[ctx.item];
  if (!el) {
    if (!fields.length)
      return fail(`could not find ${quote(phrase.raw)} to type into; ${offered(ctx.page.elements, 'type')}`);
    return { kind: 'skip', summary: `filled ${fields.length} fields`, effect: 'advance' };
  }
  const planned = fillStep(intent, el, ctx.now);
  return planned.kind === 'step' ? { ...planned, effect: ctx.item + 1 < fields.length ? 'item' : 'advance' } : planned;
}

/** Suggestions a field shows while typing: options, menu items or list items that just appeared. */
const SUGGESTION_ROLES = new Set(['option', 'menuitem', 'listitem', 'treeitem', 'gridcell']);

/** "an item that starts with Pol": after typing the start, the suggestion that fits, clicked. */
function planPick(
  intent: Extract<Intent, { verb: 'type' }>,
  pick: NonNullable<Extract<Intent, { verb: 'type' }>['pick']>,
  ctx: PlanContext,
): Plan {
  const fits = (text: string) => {
    const lower = text.trim().toLowerCase();
    return (
      (!pick.startsWith || lower.startsWith(pick.startsWith.toLowerCase())) &&
      (!pick.endsWith || lower.endsWith(pick.endsWith.toLowerCase()))
    );
  };
  const suggestions = ctx.page.elements.filter(
    (el) => el.visible && (SUGGESTION_ROLES.has(el.role) || el.clickable) && !isField(el) && fits(el.name),
  );
  const want = [pick.startsWith && `starts with '${pick.startsWith}'`, pick.endsWith && `ends with '${pick.endsWith}'`]
    .filter(Boolean)
    .join(' and ');
  if (suggestions.length) {
    const el = suggestions[0];
    return {
      kind: 'step',
      step: { type: 'click', target: targetOf(el) },
      summary: `picked the suggestion ${displayName(el)}`,
      effect: 'advance',
    };
  }
  // Suggestions often come a moment after typing: wait once, then give up.
  if (ctx.item === 1)
    return { kind: 'step', step: { type: 'wait', ms: 600 }, summary: 'waited for suggestions', effect: 'item' };
  return fail(
    `typed '${intent.value}' but no suggestion ${want} appeared; name the item to enter, e.g. enter "${intent.value}…" into the field`,
  );
}
