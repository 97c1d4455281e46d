// Names without an LLM: PascalCase state names from the URL's last static segment (singular when
// an id follows it) or the first heading, + 'Page'; snake_case action and input names from the
// button, form and field. And a namer's names applied over them, when they are valid Identifiers.
import type { Logger } from 'pino';
import type { DraftState, Naming, NamingSummary } from './types.js';

export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NAME = 100;
const MAX_DESCRIPTION = 2000;
const INDEX_STEMS = new Set(['index', 'default', 'home', 'main']);

/** `Log in`, `user[email]`, `firstName`, `add-to-cart` → their lower-case words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export const pascal = (text: string) =>
  words(text)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** snake_case that is a valid Identifier (`prefix_` before a leading digit), at most `max` words. */
export function snake(text: string, prefix: string, max = 6): string {
  const out = words(text).slice(0, max).join('_');
  if (!out) return prefix;
  return (/^[a-z]/.test(out) ? out : `${prefix}_${out}`).slice(0, MAX_NAME);
}

export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.replace(/ies$/i, 'y');
  if (/(ss|x|ch|sh)es$/i.test(word)) return word.replace(/es$/i, '');
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/** `name`, or `name2`, `name3`… (`name_2` with sep '_'): the first not in `taken`, which it joins. */
export function unique(name: string, taken: Set<string>, sep = ''): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${name.slice(0, MAX_NAME - 4)}${sep}${n}`;
  taken.add(out);
  return out;
}

/** A state's name before it is made unique: `/shop/products/{{id}}.html` → ProductPage. */
export function stateName(templateUrl: string, headings: string[], title: string, isStart: boolean): string {
  const stems = templateUrl
    .split('?')[0]
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/\.[a-z0-9]{1,5}$/i, ''));
  const isIndex = (stem: string | undefined) => stem !== undefined && INDEX_STEMS.has(stem.toLowerCase());
  let base = '';
  if (isStart && (stems.length === 0 || isIndex(stems.at(-1)))) base = 'home';
  else {
    while (isIndex(stems.at(-1))) stems.pop();
    let idAfter = false;
    while (stems.at(-1)?.includes('{{')) {
      stems.pop();
      idAfter = true;
    }
    const last = stems.at(-1);
    if (last && /[a-z]{2,}/i.test(last)) {
      const w = words(safeDecode(last));
      base = (idAfter ? [...w.slice(0, -1), singular(w.at(-1)!)] : w).join(' ');
    }
  }
  if (!base)
    base =
      words(headings[0] ?? '')
        .slice(0, 4)
        .join(' ') ||
      words(title).slice(0, 4).join(' ') ||
      'site';
  const name = pascal(base);
  const withPage = name.endsWith('Page') ? name : `${name}Page`;
  return (/^[A-Za-z]/.test(withPage) ? withPage : `Page${withPage}`).slice(0, MAX_NAME);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const LOGIN = /^(log ?in|sign ?in)( now)?$/i;
const SIGNUP = /^(sign ?up|register|create (an )?account)$/i;
const GENERIC = /^(submit|ok|go|continue|next|send)?$/i;

/**
 * `Log in` → submit_login, `Add to cart` → add_to_cart, `Apply` on #coupon-form → apply_coupon.
 * `identity` is the form's own name (its id or name attribute, or where it submits to).
 */
export function formActionName(submitText: string, form: { identity?: string; label?: string }): string {
  const text = submitText.trim();
  if (LOGIN.test(text)) return 'submit_login';
  if (SIGNUP.test(text)) return 'submit_signup';
  const identity = words(form.identity ?? '')
    .filter((w) => !['form', 'frm'].includes(w))
    .join('_');
  if (GENERIC.test(text))
    return snake(
      `submit ${
        identity ||
        words(form.label ?? '')
          .slice(0, 3)
          .join(' ') ||
        'form'
      }`,
      'action',
    );
  const textWords = words(text);
  if (textWords.length === 1 && identity && !identity.split('_').every((w) => textWords.includes(w)))
    return snake(`${text} ${identity}`, 'action');
  return snake(text, 'action');
}

export const clickActionName = (text: string) => snake(text, 'action');

/** An input's name: the field's name attribute (kept when it is an Identifier), else id, label. */
export function inputName(field: { nameAttr?: string; id?: string; label?: string }, index: number): string {
  const given = field.nameAttr ?? field.id;
  if (given && IDENTIFIER.test(given) && given.length <= MAX_NAME) return given;
  const derived = snake(given ?? field.label ?? '', 'field', 4);
  return derived === 'field' ? `field_${index + 1}` : derived;
}

/** What a namer sees: derived names as keys, and what they came from (never a typed value). */
export function namingSummary(drafts: DraftState[], site: { baseUrl: string; title: string }): NamingSummary {
  return {
    site,
    states: drafts.map((d) => ({
      key: d.state.name,
      url: d.state.url,
      title: d.title,
      headings: d.headings.slice(0, 5),
      views: d.state.views.map((v) => `${v.kind} ${v.name}: ${v.fields.map((f) => f.name).join(', ')}`),
      actions: d.actions.map((a) => ({
        key: a.action.name,
        kind: a.kind,
        label: a.label,
        inputs: a.action.inputs.map((i) => i.name),
        destructive: a.action.destructive === true,
      })),
    })),
  };
}

/** Applies a namer's names and descriptions; each one that is not used is a warning. */
export function applyNaming(drafts: DraftState[], naming: Naming, log: Logger): string[] {
  const warnings: string[] = [];
  const byKey = new Map(drafts.map((d) => [d.state.name, d]));
  const actionsByKey = new Map(drafts.map((d) => [d.state.name, new Map(d.actions.map((a) => [a.action.name, a]))]));
  const acceptable = (name: string | undefined, what: string, taken: Set<string>, current: string): name is string => {
    if (!name || name === current) return false;
    if (!IDENTIFIER.test(name) || name.length > MAX_NAME)
      warnings.push(
        `the namer's ${what} name '${name.slice(0, 120)}' is not an Identifier (a letter, then letters, digits and _); kept '${current}'`,
      );
    else if (taken.has(name)) warnings.push(`the namer's ${what} name '${name}' is taken; kept '${current}'`);
    else return true;
    return false;
  };
  for (const entry of naming.actions ?? []) {
    const state = byKey.get(entry.state);
    const draft = actionsByKey.get(entry.state)?.get(entry.key);
    if (!state || !draft) continue;
    if (entry.description) draft.action.description = entry.description.slice(0, MAX_DESCRIPTION);
    const taken = new Set(state.actions.map((a) => a.action.name));
    if (acceptable(entry.name, `action ${entry.state}.${entry.key}`, taken, draft.action.name))
      draft.action.name = entry.name;
  }
  const stateNames = new Set(drafts.map((d) => d.state.name));
  for (const entry of naming.states ?? []) {
    const draft = byKey.get(entry.key);
    if (!draft) continue;
    if (entry.description) draft.state.description = entry.description.slice(0, MAX_DESCRIPTION);
    if (acceptable(entry.name, `state ${entry.key}`, stateNames, draft.state.name)) {
      stateNames.delete(draft.state.name);
      stateNames.add(entry.name);
      draft.state.name = entry.name;
    }
  }
  if (warnings.length) log.warn({ warnings }, 'discovery kept derived names the namer could not replace');
  return warnings;
}
