// {{name}} in an `evaluate` step's script (templates.ts fills the other fields). A value reaches
// the script as data, never as code: a small scanner finds where each template stands — in code,
// inside a '…', "…" or `…` literal, inside a regular expression literal or in a comment — and the
// value is written as that place needs it:
//   - in a string or template literal: escaped, so the literal's value is exactly the input;
//   - in code: a JSON literal ("text", 42, true), so `const n = {{count}}` is a number;
//   - in a regular expression literal: every character escaped, so it matches the input literally;
//   - in a comment: left as written.
// Every character other than ASCII letters and digits is written as an escape (\uXXXX), so even a
// place the scanner got wrong (a `/` it took for division) can receive a broken script but never
// a quote, a backtick, `${` or a line break that would end the literal and start code.

import { templateAt } from './template-syntax.js';

export type ScriptValue = string | number | boolean;

/** Where a template stands in a script. */
export type ScriptPlace = 'code' | 'string' | 'regex' | 'comment';

export interface ScriptTemplate {
  start: number;
  end: number;
  name: string;
  place: ScriptPlace;
}

/** After these words a `/` starts a regular expression; after other words and values it divides. */
const REGEX_AFTER_WORDS = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);
const WORD_CHAR = /[\p{L}\p{N}_$\\\u200c\u200d]/u;

/** Every {{name}} of `script`, with the place it stands in. */
export function scriptTemplates(script: string): ScriptTemplate[] {
  const found: ScriptTemplate[] = [];
  // `${` inside a template literal opens code; each open substitution keeps the brace depth its code started at.
  const substitutions: number[] = [];
  let depth = 0;
  let mode: 'code' | "'" | '"' | '`' | 'regex' | 'line-comment' | 'block-comment' = 'code';
  let regexAllowed = true;
  let inClass = false;
  let i = 0;

  const takeTemplate = (place: ScriptPlace): boolean => {
    const t = templateAt(script, i);
    if (!t) return false;
    found.push({ start: i, end: t.end, name: t.name, place });
    i = t.end;
    return true;
  };

  while (i < script.length) {
    const c = script[i];
    if (mode === 'line-comment' || mode === 'block-comment') {
      if (takeTemplate('comment')) continue;
      if (mode === 'line-comment' && (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029')) mode = 'code';
      else if (mode === 'block-comment' && c === '*' && script[i + 1] === '/') {
        mode = 'code';
        i++;
      }
      i++;
      continue;
    }
    if (mode === "'" || mode === '"' || mode === '`') {
      if (takeTemplate('string')) continue;
      if (c === '\\') i += 2;
      else if (c === mode) {
        mode = 'code';
        regexAllowed = false;
        i++;
      } else if (mode === '`' && c === '$' && script[i + 1] === '{') {
        substitutions.push(depth);
        mode = 'code';
        regexAllowed = true;
        i += 2;
      } else if (mode !== '`' && (c === '\n' || c === '\r')) {
        mode = 'code'; // an unterminated literal: the script does not parse; scanning goes on as code
        i++;
      } else i++;
      continue;
    }
    if (mode === 'regex') {
      if (takeTemplate('regex')) continue;
      if (c === '\\') i += 2;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) {
        mode = 'code';
        regexAllowed = false;
        i++;
        while (i < script.length && /[a-z]/i.test(script[i])) i++; // flags
        continue;
      } else if (c === '\n' || c === '\r') mode = 'code';
      if (c !== '\\') i++;
      continue;
    }

    // code
    if (takeTemplate('code')) {
      regexAllowed = false;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      mode = c;
      i++;
    } else if (c === '/' && script[i + 1] === '/') {
      mode = 'line-comment';
      i += 2;
    } else if (c === '/' && script[i + 1] === '*') {
      mode = 'block-comment';
      i += 2;
    } else if (c === '/') {
      if (regexAllowed) {
        mode = 'regex';
        inClass = false;
      }
      regexAllowed = true;
      i++;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < script.length && WORD_CHAR.test(script[i])) i++;
      regexAllowed = REGEX_AFTER_WORDS.has(script.slice(start, i));
    } else if (/\s/.test(c)) {
      i++;
    } else if ((c === '+' || c === '-') && script[i + 1] === c) {
      regexAllowed = false; // `a++ / 2` divides
      i += 2;
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        if (substitutions.length > 0 && depth === substitutions.at(-1)) {
          substitutions.pop();
          mode = '`';
          i++;
          continue;
        }
        depth--;
      }
      // After a closing bracket a `/` divides; after any other punctuator a regular expression starts.
      regexAllowed = !(c === ')' || c === ']' || c === '}');
      i++;
    }
  }
  return found;
}

/** `value` escaped for any place inside a JavaScript string literal ('…', "…" or `…`): its value is `value` exactly. */
export function jsStringContent(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out +=
      /[A-Za-z0-9]/.test(ch) || (code >= 0x80 && code !== 0x2028 && code !== 0x2029)
        ? ch
        : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** A JavaScript literal of `value`: a string in double quotes, a number or a boolean. */
export function jsLiteral(value: ScriptValue): string {
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? (value < 0 || Object.is(value, -0) ? `(${value})` : String(value)) : 'null';
  return `"${jsStringContent(value)}"`;
}

/** `value` escaped for a regular expression literal: it matches the text `value` literally. */
export function regexContent(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    out += /[A-Za-z0-9]/.test(ch) ? ch : `\\u${value.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

/**
 * The script with every {{name}} filled as data. `valueOf` gives a template's value (an optional
 * input left out is '': "" in code). Templates in comments stay as written.
 */
export function fillScript(script: string, valueOf: (name: string) => ScriptValue): string {
  let out = '';
  let at = 0;
  for (const t of scriptTemplates(script)) {
    if (t.place === 'comment') continue;
    const value = valueOf(t.name);
    out += script.slice(at, t.start);
    // An empty value would turn `/{{x}}/` into a comment: an empty group keeps it a regular expression.
    const wholeRegex = t.place === 'regex' && script[t.start - 1] === '/' && script[t.end] === '/';
    out +=
      t.place === 'code'
        ? jsLiteral(value)
        : t.place === 'string'
          ? jsStringContent(String(value))
          : regexContent(String(value)) || (wholeRegex ? '(?:)' : '');
    at = t.end;
  }
  return out + script.slice(at);
}
