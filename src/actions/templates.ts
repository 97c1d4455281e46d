// {{name}} templates, filled and found one way for every caller: natural-language actions (seed 000:
// `variables`, and the step cache that keeps values as {{name}}) and site manifests (seed 002:
// inputs filling the state URL and the steps). How a value is written depends on the field:
//   - a URL (a state URL, a navigate step's url): a template that starts the URL is the value as
//     written (a whole URL, an origin, a path); one in the host is written as is when the value is
//     a host name (and port); anywhere else the value is percent-encoded (encodeURIComponent);
//   - an evaluate step's script: as data, never as code (template-script.ts);
//   - a selector, and authenticate's selectors: escaped for where it stands (template-selector.ts);
//   - any other text (typed text, a select's option, a wait's text): the value as it is.
// The step cache works the other way round (templatizeValue, templatizeUrl): a value becomes
// {{name}} again only where it is a whole field value or a whole URL component, or where the
// action's text itself composes it (`Type {{first}} {{last}}`, `page{{n}}`).
import { NavisError } from '../errors.js';
import type { Action } from './schemas.js';
import { fillScript } from './template-script.js';
import { fillSelector } from './template-selector.js';
import { templateNames, templatesOf } from './template-syntax.js';

export { templateNames } from './template-syntax.js';

export type TemplateValue = string | number | boolean;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

/** A template's value; a name without one is '' (an optional site input left out). */
const lookup =
  (values: TemplateValues) =>
  (name: string): TemplateValue =>
    Object.hasOwn(values, name) ? values[name] : '';

function replaceTemplates(text: string, write: (name: string, start: number) => string): string {
  let out = '';
  let at = 0;
  for (const t of templatesOf(text)) {
    out += text.slice(at, t.start) + write(t.name, t.start);
    at = t.end;
  }
  return out + text.slice(at);
}

/** The names `texts` reference that `values` has no value for. */
export function missingNames(texts: string[], values: TemplateValues): string[] {
  return [...new Set(texts.flatMap(templateNames))].filter((name) => !Object.hasOwn(values, name));
}

/** Plain text: every {{name}} becomes its value as it is. */
export function fillText(text: string, values: TemplateValues): string {
  const valueOf = lookup(values);
  return replaceTemplates(text, (name) => String(valueOf(name)));
}

const HOST = /^[A-Za-z0-9.\-[\]:]*$/;

/** A URL: the value as written at its start, in its host when a host name; percent-encoded elsewhere. */
export function fillUrl(url: string, values: TemplateValues): string {
  const valueOf = lookup(values);
  const lead = url.length - url.trimStart().length;
  const authority = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i.exec(url);
  const authorityEnd = authority ? authority[0].length : -1;
  return replaceTemplates(url, (name, start) => {
    const value = String(valueOf(name));
    if (start === lead) return value;
    if (start < authorityEnd && HOST.test(value)) return value;
    return encodeURIComponent(value);
  });
}

type FieldKind = 'url' | 'script' | 'selector' | 'text';

/** How the string at `path` of `step` is filled. */
function kindOf(step: Action, path: string[]): FieldKind {
  const key = path.at(-1);
  if (path.length === 1 && key === 'url' && step.type === 'navigate') return 'url';
  if (path.length === 1 && key === 'script' && step.type === 'evaluate') return 'script';
  if (key === 'selector' || path[0] === 'selectors') return 'selector';
  if (step.type === 'authenticate' && path.join('.') === 'success.value' && step.success?.condition === 'selector')
    return 'selector';
  return 'text';
}

/** One step with its templates filled, each field as its kind needs. A selector that cannot take a value safely is a 400 naming the field. */
export function fillStep(step: Action, values: TemplateValues): Action {
  const valueOf = lookup(values);
  const visit = (value: unknown, path: string[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('{{')) return value;
      const kind = kindOf(step, path);
      if (kind === 'url') return fillUrl(value, values);
      if (kind === 'script') return fillScript(value, valueOf);
      if (kind === 'selector') {
        try {
          return fillSelector(value, (name) => String(valueOf(name)));
        } catch (error) {
          throw error instanceof NavisError
            ? new NavisError(error.code, `${path.join('.')}: ${error.message}`, error.details)
            : error;
        }
      }
      return fillText(value, values);
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, String(i)]));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, [...path, k])]));
    return value;
  };
  return visit(step, []) as Action;
}

/** The steps with their templates filled; an error names the step (`steps[1].selector: …`). */
export function fillSteps(steps: Action[], values: TemplateValues): Action[] {
  return steps.map((step, i) => {
    try {
      return fillStep(step, values);
    } catch (error) {
      throw error instanceof NavisError
        ? new NavisError(error.code, `steps[${i}].${error.message}`, error.details)
        : error;
    }
  });
}

/** Every {{name}} in the string fields of `value` (steps, at any depth). */
export function stepTemplateNames(value: unknown): string[] {
  const names = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') templateNames(v).forEach((n) => names.add(n));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...names];
}

/**
 * The ways `text` may be written with templates, best first: {{name}} when it is a variable's
 * whole value (longest values first); then, when `action` is given, the part of the action's text
 * that composes it (`{{first}} {{last}}`, `page{{n}}`: a run of the action's templates, with the
 * action's literal text around them).
 */
function templatings(text: string, variables: Record<string, string>, action?: string): string[] {
  const found: string[] = [];
  const entries = Object.entries(variables)
    .filter(([, value]) => value.length > 0)
    .sort((a, b) => b[1].length - a[1].length);
  for (const [name, value] of entries) if (value === text) found.push(`{{${name}}}`);
  if (!action || !text) return found;
  const spans = templatesOf(action);
  for (let i = 0; i < spans.length; i++) {
    for (let j = spans.length - 1; j >= i; j--) {
      const core = action.slice(spans[i].start, spans[j].end);
      if (missingNames([core], variables).length > 0) continue;
      const filled = fillText(core, variables);
      if (!filled) continue;
      for (let k = text.indexOf(filled); k !== -1; k = text.indexOf(filled, k + 1)) {
        const before = text.slice(0, k);
        const after = text.slice(k + filled.length);
        if (action.slice(0, spans[i].start).endsWith(before) && action.slice(spans[j].end).startsWith(after))
          found.push(before + core + after);
      }
    }
  }
  return found;
}

/** A typed, selected or awaited value as the step cache keeps it (see templatings). */
export function templatizeValue(text: string, variables: Record<string, string>, action?: string): string {
  return templatings(text, variables, action)[0] ?? text;
}

const sameUrl = (a: string, b: string) => {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
};

const decodings = (raw: string, query: boolean): string[] => {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return [...new Set([raw, decode(raw), ...(query ? [decode(raw.replace(/\+/g, ' '))] : [])])];
};

/**
 * A URL as the step cache keeps it: the whole URL, or a whole component of it (its host, a path
 * segment, a query value), becomes a template where a variable's value (or the action's text)
 * makes it — and only when filling the result again gives the same URL. `page1` or `?p=10` stay
 * as they are for a variable "1".
 */
export function templatizeUrl(url: string, variables: Record<string, string>, action?: string): string {
  const roundTrips = (candidate: string) => sameUrl(fillUrl(candidate, variables), url);
  const whole = templatings(url, variables, action).find(roundTrips);
  if (whole) return whole;

  let out = url;
  for (const c of urlComponents(url).reverse()) {
    const raw = url.slice(c.start, c.end);
    for (const text of c.kind === 'host' ? [raw] : decodings(raw, c.kind === 'query')) {
      const fits = templatings(text, variables, action)
        .map((t) => (c.kind === 'host' ? t : replaceLiterals(t, encodeURIComponent)))
        .map((t) => out.slice(0, c.start) + t + out.slice(c.end))
        .find(roundTrips);
      if (fits) {
        out = fits;
        break;
      }
    }
  }
  return out;
}

/** `text` with its literal parts (outside templates) passed through `map`. */
function replaceLiterals(text: string, map: (literal: string) => string): string {
  let out = '';
  let at = 0;
  for (const t of templatesOf(text)) {
    out += map(text.slice(at, t.start)) + text.slice(t.start, t.end);
    at = t.end;
  }
  return out + map(text.slice(at));
}

/** The host, path segments and query values of a URL, in order, as spans of it. */
function urlComponents(url: string): Array<{ start: number; end: number; kind: 'host' | 'path' | 'query' }> {
  const found: Array<{ start: number; end: number; kind: 'host' | 'path' | 'query' }> = [];
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const authority = /^([a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i.exec(url);
  let at = 0;
  if (authority) {
    const userinfo = authority[2].lastIndexOf('@') + 1;
    const hostStart = authority[0].length - authority[2].length + userinfo;
    if (authority[0].length > hostStart) found.push({ start: hostStart, end: authority[0].length, kind: 'host' });
    at = authority[0].length;
  }
  const question = url.indexOf('?', at);
  const pathEnd = question === -1 || question > end ? end : question;
  for (let start = at; start < pathEnd;) {
    const slash = url.indexOf('/', start);
    const stop = slash === -1 || slash > pathEnd ? pathEnd : slash;
    if (stop > start) found.push({ start, end: stop, kind: 'path' });
    start = stop + 1;
  }
  if (pathEnd < end) {
    for (let start = pathEnd + 1; start < end;) {
      const amp = url.indexOf('&', start);
      const stop = amp === -1 || amp > end ? end : amp;
      const eq = url.indexOf('=', start);
      if (eq !== -1 && eq < stop && stop > eq + 1) found.push({ start: eq + 1, end: stop, kind: 'query' });
      start = stop + 1;
    }
  }
  return found;
}
