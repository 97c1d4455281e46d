// Instruction → intents, without looking at the page: clauses (clauses.ts), what links clauses (an
// item named before, a copied text, a word found), sentences that only set the scene, then one
// grammar rule per verb family for each clause (grammar.ts, grammar-reading.ts). Phrases that
// expand to several intents live in compound.ts, fill.ts and messages.ts. Anything not understood
// is an error that quotes the clause.
import { ClauseText, isAddress, restore, splitClauses } from './clauses.js';
import { parseClause, startsWithVerb } from './grammar.js';
import type { Intent, ParseResult } from './intents.js';
import { messageOwner } from './messages.js';
import { ordinalOf, type TargetPhrase } from './phrases.js';

/** Parses an instruction (variables already interpolated) into intents, or says which clause it could not read. */
export function parseInstruction(instruction: string): ParseResult {
  const { clauses, saved, originals } = splitClauses(instruction, startsWithVerb);
  if (!clauses.length) return { ok: false, error: 'the instruction is empty: say what to do, e.g. click Save' };
  const intents: Intent[] = [];
  const skipped: string[] = [];
  let scope: string | undefined;
  let copied: TargetPhrase | undefined;
  let word: { nth: number; source: TargetPhrase } | undefined;
  for (const [index, written] of clauses.entries()) {
    const clause = rewrite(written);
    const last = index === clauses.length - 1;
    // "find and click X": the bare "find" only says X may need looking for, which clicks always do.
    if (/^(?:(?:to|and)\s+)?(?:find|locate|look for|search for it)$/i.test(clause) && !last) continue;
    const c = new ClauseText(clause, saved, restore(written, originals));
    // "For the user @ada, click Like": the item the next clause's target belongs to.
    const prefix = /^(?:for|in|on|within|under)\s+(.+)$/i.exec(clause);
    // "In the email app, …": where, not which item.
    if (prefix && !last && APP_WORDS.test(c.plain(prefix[1]))) continue;
    if (prefix && !last && !startsWithVerb(clause)) {
      scope = c
        .plain(prefix[1])
        .replace(
          /^(?:the\s+)?(?:user|row|item|post|email|product|entry|card|customer|order|account|contact|person)\s+/i,
          '',
        )
        .replace(/^(?:by|of|from|for|named|called|with)\s+/i, '');
      continue;
    }
    // "Find the 3rd word in the paragraph, type that into …": that word, typed where the next clause says.
    const wording =
      /^(?:find|read|look\s+at|take|get|note|locate)\s+the\s+(\S+)\s+word\s+(?:in|of|from|on)\s+(.+)$/i.exec(clause);
    const nth = wording ? ordinalOf(wording[1]) : undefined;
    if (wording && nth !== undefined && !last) {
      word = { nth, source: c.target(wording[2]) };
      continue;
    }
    // "Find the email by Ada and click the trash icon": the item the next clause acts in.
    const finding = /^(?:find|locate|look\s+for)\s+(.+)$/i.exec(clause);
    if (finding && !last && !isAddress(finding[1])) {
      // "Find Elaine in the contact book": Elaine; where she is listed says nothing about which.
      const named = finding[1].replace(/\s+(?:in|on|within|among|from)\s+(?:the|my|this|your)\s+[^\u0001]+$/i, '');
      const found = c.target(named);
      scope = messageOwner(c.plain(named)) ?? found.within ?? found.text;
      continue;
    }
    // "Search for the mail Ada sent you and …", "go to the message from Ada, then …": that message.
    const reaching = /^(?:search\s+for|retrieve|get|open|go\s+to|pull\s+up|select|pick|copy|take|grab)\s+(.+)$/i.exec(
      clause,
    );
    const owner =
      reaching && !last && MESSAGE_WORDS.test(c.plain(reaching[1])) ? messageOwner(c.plain(reaching[1])) : undefined;
    if (owner) {
      scope = owner;
      continue;
    }
    // "Copy the text in the text area, paste it into Name": the copied value typed where it is pasted.
    const copying =
      /^copy\s+(?:(?:all\s+)?(?:of\s+)?(?:the\s+)?(?:text|value|contents?|words?)\s+)?(?:in|from|of|inside|out\s+of)?\s*(.+)$/i.exec(
        clause,
      );
    if (copying && !last && /^paste\b/i.test(clauses[index + 1] ?? '')) {
      copied = c.target(copying[1]);
      continue;
    }
    const pasting = /^paste\s+(?:it|that|this|them|the\s+text)?\s*(?:into|in|to|inside)\s+(.+)$/i.exec(clause);
    if (pasting && copied) {
      intents.push({
        verb: 'type',
        clause: c.written,
        value: '',
        copyFrom: copied,
        target: c.target(pasting[1], { role: 'field' }),
      });
      copied = undefined;
      continue;
    }
    if (isGuidance(clause) && clauses.length > 1) {
      skipped.push(c.written);
      continue;
    }
    const parsed = parseClause(c);
    // "… type that into the textbox": the word found by the clause before.
    if (
      word &&
      typeof parsed !== 'string' &&
      parsed[0]?.verb === 'type' &&
      /^(?:that|it|this|the word|them)$/i.test(parsed[0].value)
    ) {
      parsed[0] = { ...parsed[0], value: '', wordFrom: word };
      word = undefined;
    }
    if (typeof parsed === 'string') {
      // A sentence that is no step at all ("The form below has two fields.") is context, not a failure.
      if (isStatement(clause) && clauses.length > 1 && !/\u0001/.test(clause)) {
        skipped.push(c.written);
        continue;
      }
      return { ok: false, error: parsed };
    }
    // The item named before ("For the user @ada, …", "Find the email by Ada and …") is where the
    // clause's first step acts; the steps after it (the reply form it opens) are elsewhere.
    const kept = parsed.filter((intent) => scope || !('target' in intent && intent.target?.needsScope));
    intents.push(...kept.map((intent, i) => (scope && i === 0 ? scoped(intent, scope) : intent)));
    scope = undefined;
  }
  if (copied) return { ok: false, error: `"${copied.raw}" is copied but the instruction never says where to paste it` };
  if (!intents.length)
    return { ok: false, error: `no step to do in "${instruction.trim()}": say what to do, e.g. click Save` };
  return { ok: true, intents };
}

const GERUNDS: Record<string, string> = {
  clicking: 'click',
  pressing: 'press',
  tapping: 'tap',
  hitting: 'hit',
  selecting: 'select',
  choosing: 'choose',
  typing: 'type',
  entering: 'enter',
  checking: 'check',
  filling: 'fill',
};
const PURPOSE_VERBS =
  'delete|remove|mark|close|open|submit|confirm|save|send|expand|collapse|show|hide|reveal|dismiss|finish|complete|continue|proceed|star|flag|archive|reply|forward|like|share|log|sign|see|view|go|select|mute|block|report|trash';

/** Words around the step that do not change it: "close the dialog by clicking X" is "click X". */
function rewrite(clause: string): string {
  let text = clause.trim();
  const by = new RegExp(`^.+?\\s+by\\s+(${Object.keys(GERUNDS).join('|')})\\s+(.+)$`, 'i').exec(text);
  if (by) text = `${GERUNDS[by[1].toLowerCase()]} ${by[2]}`;
  // "use the textbox to enter X": enter X into the textbox.
  const use = /^use\s+(.+?)\s+to\s+(type|enter|input|write|search\s+for|search)\s+(.+)$/i.exec(text);
  if (use) text = /\b(?:into|in)\b/i.test(use[3]) ? `${use[2]} ${use[3]}` : `${use[2]} ${use[3]} into ${use[1]}`;
  text = text.replace(/\s+(?:when|once)\s+(?:you\s+are\s+|you're\s+)?(?:done|finished|complete)$/i, '');
  if (/^(?:click|tap|press|hit|push|double[- ]?click|right[- ]?click)\b/i.test(text))
    text = text.replace(
      new RegExp(
        `\\s+(?:in\\s+order\\s+)?to\\s+(?:${PURPOSE_VERBS})\\b(?:\\s+(?:it|them|this|that|the\\s+\\w+))?(?:\\s+(?:as|to|from)\\s+\\w+)?$`,
        'i',
      ),
      '',
    );
  return text;
}

const APP_WORDS =
  /^(?:the\s+|my\s+|this\s+)?(?:(?:e-?mail|mail|primary|main)\s+)*(?:app|application|inbox|page|site|mailbox|box|folder|client|program)$/i;
const MESSAGE_WORDS = /\b(?:e-?mails?|messages?|mails?)\b/i;

/** A sentence that describes rather than asks: "The form below has two fields.", "You will see a list." */
const isStatement = (clause: string) =>
  !startsWithVerb(clause) &&
  /^(?:the|this|these|those|there|it|its|you|your|we|our|a|an|each|every|all|some|note|here|when|if|once|after|before|as|since|because)\b/i.test(
    clause,
  );

/** "Navigate through the file tree", "switch between the tabs to find": how to look, which planning does anyway. */
function isGuidance(clause: string): boolean {
  return (
    /^(?:navigate|go|browse|look|search|move|switch|scroll|page|click)\s+(?:through|between|around|across|among|amongst)\b/i.test(
      clause,
    ) ||
    /^(?:expand|open)\s+(?:all\s+)?(?:the\s+)?(?:sections|tabs|folders|menus|items|panels)(?:\s+(?:below|above))?$/i.test(
      clause,
    ) ||
    /^(?:open|go\s+to|check)\s+(?:my|the)\s+(?:inbox|mailbox|e-?mail(?:\s+app)?|mail(?:\s+app)?|messages)$/i.test(
      clause,
    )
  );
}

/** The intent with its target in the item `within` names, unless it already names one. */
function scoped(intent: Intent, within: string): Intent {
  if (!('target' in intent) || !intent.target) return intent;
  if (intent.target.within !== undefined && !/^(?:it|them|this|that|him|her)$/i.test(intent.target.within))
    return intent;
  return { ...intent, target: { ...intent.target, within } };
}
