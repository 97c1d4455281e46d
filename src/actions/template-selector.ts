// {{name}} in a selector (templates.ts fills the other fields). A value is escaped for the place it
// stands in, so it can match other elements but never change the selector's structure (end a
// string, add a `>>` part, open a pseudo-class). The selector is read as Playwright reads it: parts
// split on `>>` outside quotes, each part `engine=body` (css when there is no engine).
//   - css, inside a string (`[name="{{x}}"]`, `:has-text('{{x}}')`): a CSS string escape (\" \\ \a );
//   - css, bare (`#{{id}}`, `.{{cls}}`, `[data-id={{id}}]`): a CSS identifier escape, as CSS.escape;
//     inside `:nth-child(…)` and its kin the value must be an index (2, 2n+1, odd, even);
//   - text, quoted (`text="{{x}}"`, `"{{x}}"`): the quote and backslashes escaped;
//   - text, unquoted (`text=Hello {{x}}`): the part is rewritten as the same case-insensitive
//     substring match in quoted form (`internal:text="Hello …"i`), so any value is just text;
//   - text, regex (`text=/{{x}}/i`): every character escaped, matched literally;
//   - any other engine (xpath=, id=, role=, nth=…): a value that could change its structure (a quote,
//     a backslash or a line break inside quotes; anything but letters, digits, spaces and _ . : -
//     outside them) is refused with a 400 asking to move the template into a CSS selector.
import { NavisError } from '../errors.js';
import { regexContent } from './template-script.js';
import { templateAt } from './template-syntax.js';

interface Part {
  /** Where the trimmed part starts and ends in the selector. */
  start: number;
  end: number;
  engine: string;
  /** Where its body starts (after `engine=`). */
  bodyStart: number;
  /** `*engine=`: the part captures. */
  capture: boolean;
}

/** The parts of a selector, as Playwright's parseSelector splits them. */
function partsOf(selector: string): Part[] {
  const ranges: Array<[number, number]> = [];
  if (!selector.includes('>>')) ranges.push([0, selector.length]);
  else {
    let index = 0;
    let start = 0;
    let quote: string | undefined;
    const ignoreQuote = () => !!selector.substring(start, index).match(/^\s*text\s*=(.*)$/)?.[1];
    while (index < selector.length) {
      const c = selector[index];
      if (c === '\\' && index + 1 < selector.length) index += 2;
      else if (c === quote) {
        quote = undefined;
        index++;
      } else if (!quote && (c === '"' || c === "'" || c === '`') && !ignoreQuote()) {
        quote = c;
        index++;
      } else if (!quote && c === '>' && selector[index + 1] === '>') {
        ranges.push([start, index]);
        index += 2;
        start = index;
      } else index++;
    }
    ranges.push([start, index]);
  }
  return ranges.map(([from, to]) => {
    const raw = selector.slice(from, to);
    const start = from + (raw.length - raw.trimStart().length);
    const part = raw.trim();
    const end = start + part.length;
    const eq = part.indexOf('=');
    let engine = 'css';
    let bodyStart = start;
    if (eq !== -1 && /^[a-zA-Z_0-9-+:*]+$/.test(part.substring(0, eq).trim())) {
      engine = part.substring(0, eq).trim();
      bodyStart = start + eq + 1;
    } else if (part.length > 1 && (part[0] === '"' || part[0] === "'") && part.at(-1) === part[0]) engine = 'text';
    else if (/^\(*\/\//.test(part) || part.startsWith('..')) engine = 'xpath';
    const capture = engine.startsWith('*');
    return { start, end, engine: capture ? engine.slice(1) : engine, bodyStart, capture };
  });
}

interface Placed {
  start: number;
  end: number;
  name: string;
  /** The quote it stands between, or undefined when bare. */
  quote?: string;
}

/** The templates of selector[from, to), each with the quote it stands in (quotes and backslash escapes as CSS reads them). */
function templatesIn(selector: string, from: number, to: number): Placed[] {
  const found: Placed[] = [];
  let quote: string | undefined;
  let i = from;
  while (i < to) {
    const t = templateAt(selector, i);
    if (t && t.end <= to) {
      found.push({ start: i, end: t.end, name: t.name, quote });
      i = t.end;
      continue;
    }
    const c = selector[i];
    if (c === '\\') i++;
    else if (quote && c === quote) quote = undefined;
    else if (!quote && (c === '"' || c === "'")) quote = c;
    i++;
  }
  return found;
}

const hex = (ch: string) => `\\${ch.codePointAt(0)!.toString(16)} `;

/** For inside a CSS string: backslash, the quote and control characters escaped. */
export function cssString(value: string, quote: string): string {
  return value.replace(/[\\"'\u0000-\u001f\u007f]/g, (ch) =>
    ch === '\u0000' ? '\ufffd' : ch === '\\' || ch === quote ? `\\${ch}` : ch === '"' || ch === "'" ? ch : hex(ch),
  );
}

/** CSS.escape (CSSOM): the value as one CSS identifier. */
export function cssIdent(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (code === 0) out += '\ufffd';
    else if (
      code <= 0x1f ||
      code === 0x7f ||
      (i === 0 && /\d/.test(ch)) ||
      (i === 1 && /\d/.test(ch) && value[0] === '-')
    )
      out += hex(ch);
    else if (i === 0 && value.length === 1 && ch === '-') out += `\\${ch}`;
    else if (code >= 0x80 || /[\w-]/.test(ch)) out += ch;
    else out += `\\${ch}`;
  }
  return out;
}

const refuse = (name: string, engine: string, what: string) =>
  new NavisError(
    'INVALID_REQUEST',
    `The value of {{${name}}} cannot be placed safely in this ${engine}= selector: ${what}. Write the template inside a CSS selector instead, e.g. [name="{{${name}}}"] or :has-text("{{${name}}}").`,
  );

/** `selector` with every {{name}} filled with its value, escaped for where it stands. */
export function fillSelector(selector: string, valueOf: (name: string) => string): string {
  let out = '';
  let at = 0;
  for (const part of partsOf(selector)) {
    const placed = templatesIn(selector, part.bodyStart, part.end);
    if (placed.length === 0) continue;
    out += selector.slice(at, part.start);
    out += fillPart(selector, part, placed, valueOf);
    at = part.end;
  }
  return out + selector.slice(at);
}

function fillPart(selector: string, part: Part, placed: Placed[], valueOf: (name: string) => string): string {
  const body = selector.slice(part.bodyStart, part.end);
  const splice = (fill: (t: Placed, value: string) => string) => {
    let out = selector.slice(part.start, part.bodyStart);
    let at = part.bodyStart;
    for (const t of placed) {
      out += selector.slice(at, t.start) + fill(t, valueOf(t.name));
      at = t.end;
    }
    return out + selector.slice(at, part.end);
  };

  if (part.engine === 'css') {
    return splice((t, value) => {
      if (t.quote) return cssString(value, t.quote);
      if (/:nth-[a-z-]+\(\s*$/i.test(selector.slice(part.bodyStart, t.start))) {
        if (!/^\s*(?:odd|even|[+-]?\d*n?\s*(?:[+-]\s*\d+)?)\s*$/i.test(value))
          throw refuse(t.name, 'css', 'inside :nth-…() it must be an index such as 2, 2n+1, odd or even');
        return value;
      }
      return cssIdent(value);
    });
  }
  if (part.engine === 'text') {
    const quote = body[0];
    if (body.length > 1 && (quote === '"' || quote === "'") && body.at(-1) === quote) {
      return splice((_, value) => value.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`));
    }
    if (body[0] === '/' && body.lastIndexOf('/') > 0) return splice((_, value) => regexContent(value));
    // Unquoted text has no escapes: the same lax match (case-insensitive substring), quoted.
    const text = splice((_, value) => value).slice(part.bodyStart - part.start);
    return `${part.capture ? '*' : ''}internal:text=${JSON.stringify(text)}i`;
  }
  return splice((t, value) => {
    if (t.quote && /[\\"'\n\r\u2028\u2029]/.test(value))
      throw refuse(t.name, part.engine, 'inside quotes there it may not hold a quote, a backslash or a line break');
    if (!t.quote && !/^[\p{L}\p{N} _.:-]*$/u.test(value))
      throw refuse(t.name, part.engine, 'outside quotes there it may hold only letters, digits, spaces and _ . : -');
    return value;
  });
}
