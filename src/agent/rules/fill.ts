// Clauses that put values into fields, as people write them: one value or several in one clause
// ("type ada@example.com into Email and hunter2 into Password", `enter the username "ada" and the
// password "x" into the text fields`, `fill in Name with "Ada", Email with ada@example.com`, "fill
// the contact form with name Ada and message Hi"), the same value into several fields ("into both
// text fields"), and what the value must look like ("in all lower case letters", "an item that
// starts with "Pol""). A value boundary (a quote, "with", a comma, "and") never takes in the next
// field: each part becomes its own intent, or the clause is not understood.
import { isQuoted, type ClauseText } from './clauses.js';
import type { Intent } from './intents.js';
import type { TargetPhrase } from './phrases.js';

type TypeIntent = Extract<Intent, { verb: 'type' }>;

/** One value of a clause, with the field it goes into (`target`) or the words that name the value (`hint`). */
interface Part {
  value: string;
  target?: string;
  hint?: string;
}

const QUOTE = /\u0001\d+\u0001/;
const PARTS = /\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*/i;
/** Fields in the plural or "both": every field the words describe takes a value. */
const PLURAL_FIELDS =
  /^(?:(?:into|in|to|inside)\s+)?(?:both|all|each|every)\b|\b(?:fields|inputs|boxes|textboxes|text boxes|form)\b(?:\s+(?:below|above))?$/i;
const TRANSFORM =
  /\s+(?:in|using|with)\s+(?:all\s+)?(?:(lower|upper)\s*-?\s*case|(small|capital)\s+letters|(caps|capitals))(?:\s+letters)?(?=\s|$)|\s+(?:all\s+)?(lower|upper)case(?=\s|$)/i;
const PICK =
  /^(?:(?:a|an|the|one|any)\s+)?(?:[\w-]+\s+)?(?:that|which)?\s*(?:starts?|begins?|starting|beginning)\s+with\s+(\S+)(?:\s+and\s+(?:that\s+|which\s+)?(?:ends?|ending)\s+with\s+(\S+))?(.*)$/i;

/** type/enter/input/write …: values first, then where they go. */
export function parseTyping(c: ClauseText, arg: string): Intent[] | string {
  let rest = arg.trim();
  let transform: TypeIntent['transform'];
  const t = TRANSFORM.exec(rest);
  if (t) {
    const word = (t[1] ?? t[2] ?? t[3] ?? t[4]).toLowerCase();
    transform = word === 'lower' || word === 'small' ? 'lower' : 'upper';
    rest = (rest.slice(0, t.index) + rest.slice(t.index + t[0].length)).trim();
  }
  // "the value that goes with each label into the form", "the values from the table": every field, read from the page.
  if (
    /^(?:the\s+|each\s+|every\s+)?values?\s+(?:that\s+)?(?:corresponds?|goes|go|belongs?|matche?s?|fits?)\s+(?:with|to)\s+(?:each|every|its|their)\s+(?:label|field|name)s?\b/i.test(
      rest,
    ) ||
    /^(?:the\s+|each\s+|every\s+)?values?\s+(?:from|in|of)\s+the\s+(?:table|list|text|page)\b/i.test(rest)
  )
    return [{ verb: 'fillFromPage', clause: c.written }];
  // "the value of Color": a value to read from the page, never the words themselves.
  const from =
    /^(?:the\s+)?(?:value|text|number|content|contents|answer)\s+(?:of|for|next\s+to|beside)\s+(.+?)(?:\s+(?:into|in|as)\s+(.+))?$/i.exec(
      rest,
    );
  if (from && !QUOTE.test(from[0].split(/\s+(?:into|in|as)\s+/i)[0]))
    return [
      {
        verb: 'type',
        clause: c.written,
        value: '',
        valueFrom: c.plain(from[1]),
        ...(from[2] ? { target: field(c, from[2]) } : {}),
      },
    ];
  const pick = PICK.exec(rest);
  if (pick) {
    const joined = splitTarget(pick[3].trim());
    return [
      {
        verb: 'type',
        clause: c.written,
        value: c.value(pick[1]),
        pick: { startsWith: c.value(pick[1]), ...(pick[2] ? { endsWith: c.value(pick[2]) } : {}) },
        ...(joined.target ? { target: field(c, joined.target) } : {}),
      },
    ];
  }
  const pieces = rest.split(PARTS).filter(Boolean);
  const parts = pieces.map(valueFirst);
  // "type apples, pears into Notes": one value with a comma, when nothing marks separate values.
  const marked = parts.filter((p) => p.target || p.hint || QUOTE.test(p.value)).length;
  if (parts.length > 1 && marked <= 1 && !parts.slice(0, -1).some((p) => p.target) && !QUOTE.test(rest)) {
    const whole = valueFirst(rest);
    return [typeIntent(c, whole.value, whole.target ? field(c, whole.target) : undefined, transform)];
  }
  const shared = parts[parts.length - 1].target;
  const sharedIsPlural = shared !== undefined && PLURAL_FIELDS.test(shared);
  if (parts.length === 1) {
    const [part] = parts;
    if (part.target && sharedIsPlural)
      return [{ ...typeIntent(c, part.value, field(c, part.target), transform), all: true }];
    return [typeIntent(c, part.value, targetFor(c, part, sharedIsPlural), transform)];
  }
  return parts.map((part, index) => {
    const own =
      part.target && (index === parts.length - 1 ? !sharedIsPlural : true) ? field(c, part.target) : undefined;
    const target =
      own ??
      (part.hint
        ? hinted(c, part.hint, sharedIsPlural ? undefined : shared)
        : shared && !sharedIsPlural
          ? field(c, shared)
          : { raw: `field ${index + 1}`, text: '', role: 'field' as const, ordinal: index + 1 });
    return typeIntent(c, part.value, target, transform);
  });
}

/** fill (in|out) X with V, Y with W; fill the form with name Ada and message Hi. */
export function parseFillWith(c: ClauseText, arg: string): Intent[] | undefined {
  const m = /^(.+?)\s+with\s+(.+)$/i.exec(arg.trim());
  if (!m) return undefined;
  const container = /^(?:the\s+|this\s+)?(?:[\w-]+\s+)?(?:form|fields|details|page)$/i.test(m[1].trim());
  const pieces = (container ? m[2] : `${m[1]} with ${m[2]}`).split(PARTS).filter(Boolean);
  const intents: Intent[] = [];
  for (const piece of pieces) {
    const pair =
      /^(.+?)\s+(?:with|as|to|=|:)\s+(.+)$/i.exec(piece) ??
      /^(.+?):\s*(.+)$/.exec(piece) ??
      (container ? /^((?:the\s+)?\S+)\s+(.+)$/.exec(piece) : null);
    if (!pair) return undefined;
    intents.push(typeIntent(c, c.value(pair[2]), field(c, pair[1])));
  }
  return intents;
}

function typeIntent(
  c: ClauseText,
  value: string,
  target: TargetPhrase | undefined,
  transform?: TypeIntent['transform'],
): TypeIntent {
  const written = c.value(value);
  const shaped =
    transform === 'lower' ? written.toLowerCase() : transform === 'upper' ? written.toUpperCase() : written;
  return { verb: 'type', clause: c.written, value: shaped, ...(target ? { target } : {}) };
}

const field = (c: ClauseText, words: string) => c.target(words, { role: 'field' });

/** The field a value's own words name ("the password "x""), with the clause's shared field as a fallback. */
function hinted(c: ClauseText, hint: string, shared: string | undefined): TargetPhrase {
  const named = field(c, hint);
  if (!shared) return named;
  const fallback = field(c, shared);
  return { ...named, anyOf: [...(named.anyOf ?? []), fallback.text].filter(Boolean) };
}

function targetFor(c: ClauseText, part: Part, plural: boolean): TargetPhrase | undefined {
  if (part.hint && (!part.target || plural)) return hinted(c, part.hint, undefined);
  if (!part.target) return undefined;
  const named = field(c, part.target);
  // "enter the password "x" into the text field": the field, or the one named password when there are several.
  return part.hint && !named.text ? { ...named, anyOf: [part.hint.replace(/^(?:the|a|an|your|my)\s+/i, '')] } : named;
}

const JOINS = ['into', 'in', 'inside', 'onto', 'on', 'as', 'for', 'under', 'to'];

/** "X into Y" → value X and target Y, by the last joining word (values rarely hold "into"). */
function splitTarget(text: string): { value: string; target?: string } {
  const lower = ` ${text.toLowerCase()} `;
  for (const join of JOINS) {
    const at = lower.lastIndexOf(` ${join} `);
    if (at >= 0)
      return { value: text.slice(0, Math.max(0, at - 1)).trim(), target: text.slice(at + join.length).trim() };
  }
  return { value: text };
}

/** One part: a quoted value with the words before it naming it, else value-join-target. */
function valueFirst(piece: string): Part {
  const quote = QUOTE.exec(piece);
  if (quote) {
    const before = piece.slice(0, quote.index).trim();
    const after = piece.slice(quote.index + quote[0].length).trim();
    const joined = /^(?:into|in|inside|onto|on|as|for|under|to)\s+(.+)$/i.exec(after);
    const hint = before.replace(/^(?:the\s+)?(?:text|value|word)$/i, '').trim();
    return {
      value: quote[0],
      ...(joined ? { target: joined[1] } : {}),
      ...(hint && !isQuoted(before) ? { hint } : {}),
    };
  }
  const split = splitTarget(piece);
  return { value: split.value || piece, ...(split.value && split.target ? { target: split.target } : {}) };
}
