// The inputs of a site action (seed 002: "a flat JSON object"): checked against the action's
// declared inputs, defaults applied, then filled into the {{templates}} of the state URL and of the
// steps (actions/templates.ts says how each field takes a value). Inputs whose name says they are
// secret are redacted from the free text of whatever navis returns or logs.
import { startAt, type StepNamer } from '../actions/executor.js';
import { fillUrl } from '../actions/templates.js';
import { NavisError } from '../errors.js';
import type { SiteInput } from './manifest.js';

export type InputValue = string | number | boolean;
export type InputValues = Record<string, InputValue>;

const SECRET_NAME = /pass(word)?|secret|token/i;
export const REDACTED = '[redacted]';

export const isSecretInput = (name: string) => SECRET_NAME.test(name);

const quoted = (names: string[]) => names.map((n) => `'${n}'`).join(', ');

/**
 * The values an execution runs with. `declared` are the action's inputs; `used` are the names its
 * state URL and steps reference: one used but not declared is a required string input, so a
 * manifest that forgot to declare it still runs (and the caller is told what to send).
 * Values are never quoted in errors: they may be passwords.
 */
export function resolveInputs(
  declared: SiteInput[],
  used: string[],
  body: unknown,
  what: 'action' | 'view' = 'action',
): InputValues {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new NavisError(
      'INVALID_REQUEST',
      'Body must be a flat JSON object of the action\'s inputs, e.g. {"email": "user@example.com"} (or {} when it takes none).',
    );
  }
  const given = body as Record<string, unknown>;
  const inputs = [
    ...declared,
    ...used
      .filter((name) => !declared.some((d) => d.name === name))
      .map((name) => ({ name, type: 'string' as const, required: true })),
  ];

  const unknown = Object.keys(given).filter((key) => !inputs.some((input) => input.name === key));
  if (unknown.length > 0) {
    const takes =
      inputs.length > 0 ? `this ${what} takes ${quoted(inputs.map((i) => i.name))}` : `this ${what} takes no inputs`;
    throw new NavisError(
      'INVALID_REQUEST',
      `Unknown input${unknown.length > 1 ? 's' : ''} ${quoted(unknown)}: ${takes}`,
    );
  }

  const missing = inputs
    .filter((input) => input.required && given[input.name] == null && (input as SiteInput).default === undefined)
    .map((i) => i.name);
  if (missing.length > 0) {
    throw new NavisError(
      'INVALID_REQUEST',
      `Input${missing.length > 1 ? 's' : ''} ${quoted(missing)} ${missing.length > 1 ? 'are' : 'is'} required`,
    );
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
  if (input.enum && !input.enum.includes(String(value)))
    throw fail(`one of ${input.enum.map((v) => `'${v}'`).join(', ')}`);
  return value;
}

/** A state's URL as a run's start step (seed 002 steps 4 and 5): settled, an error status failing it. */
export const stateStart = (url: string) => startAt(url, { waitUntil: 'load', settle: true, failOnHttpError: true });

/** How site actions (and discovery's check of them) name a step: `steps[1] (click)`, the start as `navigating to <url>`. */
export const siteStepName =
  (url: string): StepNamer =>
  ({ index, type }) =>
    index === null ? `navigating to ${url}` : `steps[${index}] (${type})`;

/**
 * The state's URL with its templates filled (actions/templates.ts: percent-encoded, unless a
 * template starts the URL or is a host name), resolved against the manifest's baseUrl.
 */
export function stateUrl(template: string, baseUrl: string, values: InputValues): string {
  try {
    return new URL(fillUrl(template, values).trim(), baseUrl).href;
  } catch {
    throw new NavisError(
      'INVALID_REQUEST',
      `The state URL '${redactText(template, values)}' does not make a valid URL with these inputs.`,
    );
  }
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

/**
 * Every whole occurrence of a secret value in `text` (and of its encoded forms) → [redacted]. Whole:
 * not glued to letters or digits on a side where the secret itself starts or ends with one, so a
 * secret "ok" leaves "book" and "okay" alone.
 */
export function redactText(text: string, values: InputValues): string {
  const pattern = secretPattern(values);
  return pattern ? text.replace(pattern, REDACTED) : text;
}

const WORD = /[\p{L}\p{N}_]/u;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function secretPattern(values: InputValues): RegExp | undefined {
  const forms = secretForms(values);
  if (forms.length === 0) return undefined;
  const alternatives = forms.map(
    (form) =>
      `${WORD.test(form[0]) ? '(?<![\\p{L}\\p{N}_])' : ''}${escapeRegExp(form)}${WORD.test(form.at(-1)!) ? '(?![\\p{L}\\p{N}_])' : ''}`,
  );
  return new RegExp(alternatives.join('|'), 'gu');
}

/**
 * A copy of `value` with secret values redacted from its strings (redactText); keys, numbers and
 * booleans are left as they are. Give it only an answer's free text: a step's detail and result,
 * a view's records — never its fixed fields (ok, state, type, status).
 */
export function redact<T>(value: T, values: InputValues): T {
  const pattern = secretPattern(values);
  if (!pattern) return value;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(pattern, REDACTED);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}

/** Steps of an answer with secrets redacted from their detail and result only. */
export function redactSteps<T extends { detail?: string; result?: unknown }>(steps: T[], values: InputValues): T[] {
  return steps.map((step) => ({
    ...step,
    ...(step.detail !== undefined ? { detail: redactText(step.detail, values) } : {}),
    ...(step.result !== undefined ? { result: redact(step.result, values) } : {}),
  }));
}
