// The inputs of a site action (seed 002: "a flat JSON object"): checked against the action's
// declared inputs, defaults applied, then expanded into {{templates}} of the state URL and of every
// string field of the steps. Inputs whose name says they are secret are redacted from whatever
// navis returns or logs.
import type { Action } from '../actions/schemas.js';
import { NavisError } from '../errors.js';
import type { SiteInput } from './manifest.js';

export type InputValue = string | number | boolean;
export type InputValues = Record<string, InputValue>;

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
const SECRET_NAME = /pass(word)?|secret|token/i;
export const REDACTED = '[redacted]';

export const isSecretInput = (name: string) => SECRET_NAME.test(name);

export function templateNames(text: string): string[] {
  return [...new Set([...text.matchAll(TEMPLATE)].map((m) => m[1]))];
}

/** Every {{name}} in the string fields of the steps, at any depth. */
export function stepTemplateNames(steps: Action[]): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') templateNames(value).forEach((n) => names.add(n));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(steps);
  return [...names];
}

const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * The values an execution runs with. `declared` are the action's inputs; `used` are the names its
 * state URL and steps reference: one used but not declared is a required string input, so a
 * manifest that forgot to declare it still runs (and the caller is told what to send).
 * Values are never quoted in errors: they may be passwords.
 */
export function resolveInputs(declared: SiteInput[], used: string[], body: unknown, what: 'action' | 'view' = 'action'): InputValues {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new NavisError('INVALID_REQUEST', 'Body must be a flat JSON object of the action\'s inputs, e.g. {"email": "user@example.com"} (or {} when it takes none).');
  }
  const given = body as Record<string, unknown>;
  const inputs = [...declared, ...used.filter((name) => !declared.some((d) => d.name === name)).map((name) => ({ name, type: 'string' as const, required: true }))];

  const unknown = Object.keys(given).filter((key) => !inputs.some((input) => input.name === key));
  if (unknown.length > 0) {
    const takes = inputs.length > 0 ? `this ${what} takes ${quoted(inputs.map((i) => i.name))}` : `this ${what} takes no inputs`;
    throw new NavisError('INVALID_REQUEST', `Unknown input${unknown.length > 1 ? 's' : ''} ${quoted(unknown)}: ${takes}`);
  }

  const missing = inputs.filter((input) => input.required && given[input.name] == null && (input as SiteInput).default === undefined).map((i) => i.name);
  if (missing.length > 0) {
    throw new NavisError('INVALID_REQUEST', `Input${missing.length > 1 ? 's' : ''} ${quoted(missing)} ${missing.length > 1 ? 'are' : 'is'} required`);
  }

  const values: InputValues = {};
  for (const input of inputs) {
    const raw = given[input.name] ?? (input as SiteInput).default;
    if (raw === undefined || raw === null) continue;
    values[input.name] = checkType(input, raw);
  }
  return values;
}

/** JSON types as declared; a number or boolean sent as a string ("2", "true") is accepted, as query strings and forms send them. */
function checkType(input: Pick<SiteInput, 'name' | 'type' | 'enum'>, raw: unknown): InputValue {
  const fail = (what: string) => new NavisError('INVALID_REQUEST', `Input '${input.name}' must be ${what}`);
  let value: InputValue;
  switch (input.type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw fail('a number');
      value = n;
      break;
    }
    case 'boolean':
      if (typeof raw === 'boolean') value = raw;
      else if (raw === 'true' || raw === 'false') value = raw === 'true';
      else throw fail('a boolean (true or false)');
      break;
    default:
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw fail('a string');
      value = String(raw);
  }
  if (input.enum && !input.enum.includes(String(value))) throw fail(`one of ${input.enum.map((v) => `'${v}'`).join(', ')}`);
  return value;
}

/** Replaces every {{name}}; a name without a value becomes '' (an optional input left out). */
export function expand(text: string, values: InputValues, encode: (value: string) => string = (v) => v): string {
  return text.replace(TEMPLATE, (_, name: string) => (name in values ? encode(String(values[name])) : ''));
}

/**
 * The state's URL with its templates filled, resolved against the manifest's baseUrl. Values are
 * URL-encoded (an id or a search term), unless the template is the whole URL.
 */
export function stateUrl(template: string, baseUrl: string, values: InputValues): string {
  const whole = /^\s*\{\{[^}]+\}\}\s*$/.test(template);
  const expanded = whole ? expand(template, values).trim() : expand(template, values, encodeURIComponent);
  try {
    return new URL(expanded, baseUrl).href;
  } catch {
    throw new NavisError('INVALID_REQUEST', `The state URL '${redactText(template, values)}' does not make a valid URL with these inputs.`);
  }
}

/** The steps with {{input}} expanded in every string field. */
export function expandSteps(steps: Action[], values: InputValues): Action[] {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return expand(value, values);
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    return value;
  };
  return steps.map((step) => visit(step) as Action);
}

/** The text forms a secret value can take in what a page or Playwright reports (as typed, URL- and form-encoded). */
function secretForms(values: InputValues): string[] {
  const forms = new Set<string>();
  for (const [name, value] of Object.entries(values)) {
    if (!isSecretInput(name)) continue;
    const text = String(value);
    if (text === '') continue;
    forms.add(text);
    forms.add(encodeURIComponent(text));
    forms.add(encodeURIComponent(text).replace(/%20/g, '+'));
    forms.add(JSON.stringify(text).slice(1, -1));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

export function redactText(text: string, values: InputValues): string {
  let out = text;
  for (const form of secretForms(values)) out = out.split(form).join(REDACTED);
  return out;
}

/** A deep copy of `value` with every secret input's value replaced by [redacted]. */
export function redact<T>(value: T, values: InputValues): T {
  const forms = secretForms(values);
  if (forms.length === 0) return value;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return forms.reduce((out, form) => out.split(form).join(REDACTED), v);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}
