// Cutting an instruction into clauses: "type 'a, b' into Notes, then click Save and check Apples
// and Pears" → `type 'a, b' into Notes` · `click Save` · `check Apples and Pears`. Quoted text and
// addresses are never cut; a piece after "and" or a comma that does not start with a verb belongs
// to the clause before it. ClauseText reads one such clause back (its words, target and value).
import { describeTarget, NOUN_ROLES, type TargetPhrase } from './phrases.js';

const QUOTE_MARK = '\u0001';
const URL_MARK = '\u0002';
const QUOTES = /"([^"]*)"|“([^”]*)”|‘([^’]*)’|`([^`]*)`|(?<![\p{L}\p{N}])'([^']*)'(?![\p{L}\p{N}])/gu;
const URLS =
  /\b(?:https?|file):\/\/[^\s"'<>]*[^\s"'<>.,;:!?)]|\b(?:localhost|\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?(?:\/[^\s"'<>]*[^\s"'<>.,;:!?)])?/gi;
const SEPARATORS = /(\s*;\s*|\s*,\s*|\.(?=\s|$)\s*|\s*\n\s*|\s+(?:and then|then|and|after that|afterwards|&)\s+)/i;
const FILLERS =
  /^(?:(?:please|now|then|and|also|next|first|firstly|secondly|finally|lastly|afterwards|after that|once done|when done|i want to|i'd like to|i would like to|i want you to|i'd like you to|i would like you to|i need you to|can you|could you|will you|would you|you should|try to|go ahead and|go ahead|in order to|to|automatically|quickly|just|simply|kindly)\b[\s,]*)+/i;

/** An instruction with its quoted parts and addresses set aside, so cutting cannot break them. */
export interface Protected {
  clauses: string[];
  /** What each placeholder stands for: quotes without their quote marks, addresses as written. */
  saved: string[];
  /** Each placeholder as written, quote marks included (for messages). */
  originals: string[];
}

/** The text of a clause piece with placeholders put back (quote marks left out). */
export function restore(text: string, saved: string[]): string {
  return text.replace(
    new RegExp(`[${QUOTE_MARK}${URL_MARK}](\\d+)[${QUOTE_MARK}${URL_MARK}]`, 'g'),
    (_, i: string) => saved[Number(i)],
  );
}

/** The content of the first quoted part of a piece, if it has one. */
export function quotedIn(text: string, saved: string[]): string | undefined {
  const match = new RegExp(`${QUOTE_MARK}(\\d+)${QUOTE_MARK}`).exec(text);
  return match ? saved[Number(match[1])] : undefined;
}

/** Whether a piece is exactly one quoted part. */
export function isQuoted(text: string): boolean {
  return new RegExp(`^${QUOTE_MARK}\\d+${QUOTE_MARK}$`).test(text.trim());
}

/** Whether a piece is exactly one protected address. */
export function isAddress(text: string): boolean {
  return new RegExp(`^${URL_MARK}\\d+${URL_MARK}$`).test(text.trim());
}

export function stripFillers(text: string): string {
  return text
    .replace(FILLERS, '')
    .replace(/[\s,]*\bplease$/i, '')
    .replace(/[\s!?]+$/, '')
    .trim();
}

/**
 * The clauses of an instruction, in order, still protected (see `restore`). `startsWithVerb`
 * decides where a clause begins: "check Apples and Pears" stays one clause because "Pears" is no verb.
 */
export function splitClauses(instruction: string, startsWithVerb: (piece: string) => boolean): Protected {
  const saved: string[] = [];
  const originals: string[] = [];
  const keep =
    (mark: string) =>
    (whole: string, ...groups: unknown[]) => {
      const content = mark === QUOTE_MARK ? (groups.slice(0, 5).find((g) => typeof g === 'string') as string) : whole;
      saved.push(content);
      originals.push(whole);
      return `${mark}${saved.length - 1}${mark}`;
    };
  const text = instruction.replace(QUOTES, keep(QUOTE_MARK)).replace(URLS, keep(URL_MARK));
  const parts = text.split(SEPARATORS);
  const clauses: { text: string }[] = [];
  let separator = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      separator += parts[i];
      continue;
    }
    const piece = stripFillers(parts[i]);
    if (!piece) continue;
    const last = clauses[clauses.length - 1];
    // Only "and" and commas join a list ("check Apples and Pears"); "then", ";" and "." always start anew.
    const listJoin =
      /^\s*(?:,|and|&)\s*$/i.test(separator) &&
      !/^(?:then|next|finally|lastly|afterwards|after that)\b/i.test(parts[i].trim());
    if (last && listJoin && !startsWithVerb(piece)) last.text += separator + parts[i].trim();
    else clauses.push({ text: piece });
    separator = '';
  }
  return { clauses: clauses.map((clause) => clause.text.replace(/[\s.!?]+$/, '').trim()), saved, originals };
}

/** Helpers over one protected clause: its words back in place, its target, its value. */
export class ClauseText {
  constructor(
    readonly text: string,
    readonly saved: string[],
    /** The clause as written, quote marks included. */
    readonly written: string,
  ) {}
  plain(piece: string): string {
    return restore(piece, this.saved).trim();
  }
  target(piece: string, defaults: Partial<TargetPhrase> = {}): TargetPhrase {
    const written = restore(piece, this.saved);
    const phrase = describeTarget(written, quotedIn(piece, this.saved));
    // "into Email", "the message field": with a kind expected, a lone noun is the field's name.
    if (defaults.role && !phrase.text && phrase.role && phrase.ordinal === undefined && NOUN_ROLES.has(phrase.role))
      return { ...phrase, text: written.replace(/^(?:the|a|an|my|your)\s+/i, '').trim(), role: defaults.role };
    return { ...defaults, ...phrase, ...(phrase.role ? {} : defaults.role ? { role: defaults.role } : {}) };
  }
  value(piece: string): string {
    return isQuoted(piece)
      ? restore(piece.trim(), this.saved)
      : this.plain(piece).replace(/^(?:the )?(?:text|value|word)\s+(?=\S)/i, '');
  }
  /** Value and target of "X into Y": a quoted value first, else the last joining word. */
  valueAndTarget(arg: string, joins: string[]): { value: string; target?: string } {
    const quoted = /^\s*(\u0001\d+\u0001)\s*(.*)$/.exec(arg);
    const joining = new RegExp(`^(?:${joins.join('|')})\\s+(.+)$`, 'i');
    if (quoted) {
      const rest = joining.exec(quoted[2].trim());
      return { value: quoted[1], ...(rest ? { target: rest[1] } : {}) };
    }
    for (const join of joins) {
      const at = arg.toLowerCase().lastIndexOf(` ${join} `);
      if (at > 0) return { value: arg.slice(0, at), target: arg.slice(at + join.length + 2) };
    }
    return { value: arg };
  }
}
