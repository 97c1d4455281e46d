// One intent + the page as it is now → the next step, "nothing left to do", or a failure that
// says which part of the instruction failed and what the page showed instead. Finding targets is
// match.ts, revealing hidden ones explore.ts; the planner (planner.ts) keeps progress between calls.
import type { Action } from '../../actions/schemas.js';
import { clickedWord, clickFields, targetOf, type ClickHow } from '../targets.js';
import type { ElementInfo } from '../types.js';
import { displayName, offered, quote } from './describe.js';
import type { Intent } from './intents.js';
import { findEvery, findTarget, isCheckable, isDropdown, isField, rank, textScore, type Purpose } from './match.js';
import { toUrl, type TargetPhrase } from './phrases.js';
import { planExtract, planWait } from './plan-read.js';
import { locate, type Effect, type Plan, type PlanContext } from './locate.js';
import { planCalendar } from './calendar.js';
import { cleanName, normalize } from './text.js';
import { formatDate, formatTime, matchOption, parseDate, parseTime } from './values.js';

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

/** "Click Like on all posts by @ada": each match in turn (at most the number asked for). */
function planClickEvery(phrase: TargetPhrase, how: ClickHow | undefined, ctx: PlanContext): Plan {
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
function planMenu(intent: Extract<Intent, { verb: 'menu' }>, ctx: PlanContext): Plan {
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

function planExpand(intent: Extract<Intent, { verb: 'expand' }>, ctx: PlanContext): Plan {
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
function planClose(intent: Extract<Intent, { verb: 'close' }>, ctx: PlanContext): Plan {
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

/** The field typed into when the instruction names none: the one just clicked or typed in, or the only one. */
function implicitField(ctx: PlanContext): ElementInfo | ElementInfo[] {
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

function fillStep(intent: Extract<Intent, { verb: 'type' | 'select' }>, el: ElementInfo, now: Date): Plan {
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
function planFillFromPage(ctx: PlanContext): Plan {
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

function planType(intent: Extract<Intent, { verb: 'type' }>, ctx: PlanContext): Plan {
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
