// Instruction → intents, without looking at the page: clauses (clauses.ts), then one grammar rule
// per verb family. Phrases that expand to several intents (create …, log in …, search for …)
// live in compound.ts. Anything not understood is an error that quotes the clause.
import { ClauseText, isAddress, isQuoted, restore, splitClauses } from './clauses.js';
import { parseCompound } from './compound.js';
import type { ExtractWhat, Intent, ParseResult } from './intents.js';
import { parseFillWith, parseTyping } from './fill.js';
import { messageOwner } from './messages.js';
import { isUrlLike, keyName, ordinalOf, type TargetPhrase } from './phrases.js';

const VERB =
  /^(?:navigate|go|open|visit|browse|load|launch|head|reload|refresh|click|double[- ]?click|right[- ]?click|tap|press|hit|push|type|enter|input|write|key|put|insert|paste|fill|set|change|update|clear|empty|erase|select|choose|pick|check|tick|mark|enable|disable|uncheck|untick|deselect|unselect|toggle|focus|hover|mouse|mouseover|move|scroll|wait|extract|get|read|copy|scrape|grab|fetch|return|retrieve|collect|capture|report|list|tell|show|give|what|what's|whats|find|locate|search|log|login|logout|sign|signin|submit|create|add|schedule|make|book|expand|collapse|close|dismiss|send|use|switch|sort|reply|forward|delete|remove|star|flag|take|give|throw|respond|share)\b/i;

export const startsWithVerb = (piece: string) => VERB.test(piece);

export const UNDERSTOOD =
  'navigate/go to/open, click/press/tap, type/enter/fill … into …, select … from …, check/uncheck, press <key>, focus, hover, scroll, wait for, extract/get/read';

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

type Parsed = Intent[] | string | undefined;

/** One clause: the first verb family whose grammar fits, or an error quoting the clause. */
function parseClause(c: ClauseText): Intent[] | string {
  const parsed =
    parseGoing(c) ??
    parseCompound(c) ??
    parseRepeated(c) ??
    parsePointing(c) ??
    parseRevealing(c) ??
    parseFilling(c) ??
    parseChecking(c) ??
    parseReading(c);
  return (
    parsed ??
    unclear(
      c,
      `it does not start with an action the rule planner knows (${UNDERSTOOD}); rephrase it as such steps, e.g. type "Internal sync" into Title, then click Save`,
    )
  );
}

const unclear = (c: ClauseText, hint: string) => `could not understand "${c.written}": ${hint}`;

/** navigate/go to/open/visit, reload. */
function parseGoing(c: ClauseText): Parsed {
  const text = c.text.trim();
  const clause = c.written;
  const history =
    /^(?:go|navigate|move|step|head)\s+(back|backward|backwards|forward|forwards)(?:\s+(?:a|one)\s+page)?(?:\s+in\s+(?:the\s+)?(?:browser\s+)?history)?$/i.exec(
      text,
    );
  if (history)
    return [{ verb: 'history', clause, direction: history[1].toLowerCase().startsWith('back') ? 'back' : 'forward' }];
  if (/^(?:reload|refresh)(?:\s+(?:the|this))?(?:\s+page)?$/i.test(text)) return [{ verb: 'reload', clause }];
  const m =
    /^(?:navigate|go|browse|head|switch|return)\s+(?:over\s+|back\s+)?to\s+(.+)$/i.exec(text) ??
    /^(?:open|visit|load|launch)\s+(?:up\s+)?(.+)$/i.exec(text);
  if (!m) return undefined;
  const arg = m[1].trim();
  if (isAddress(arg) || (!isQuoted(arg) && isUrlLike(c.plain(arg))))
    return [{ verb: 'navigate', clause, url: c.plain(arg) }];
  return [
    { verb: 'open', clause, target: c.target(arg.replace(/\s+(?:page|site|website|screen|view|section)$/i, '')) },
  ];
}

/** "click Next 3 times", "press Tab twice": the same step again. */
function parseRepeated(c: ClauseText): Parsed {
  const m = /^((?:click|tap|press|hit|push|scroll)\b.*?)\s+(twice|thrice|(\d+)\s+times)$/i.exec(c.text.trim());
  if (!m) return undefined;
  const times = Math.min(m[3] ? Number(m[3]) : m[2].toLowerCase() === 'twice' ? 2 : 3, 20);
  const once = parseClause(new ClauseText(m[1], c.saved, c.written));
  return typeof once === 'string' ? once : Array.from({ length: times }, () => once).flat();
}

/** focus, press <key>, press/click/tap <element>, hover. */
function parsePointing(c: ClauseText): Parsed {
  const text = c.text.trim();
  const clause = c.written;
  let m = /^(?:focus(?:\s+on)?|put\s+(?:the\s+)?cursor\s+(?:in|on|into)|click\s+into)\s+(.+)$/i.exec(text);
  if (m) return [{ verb: 'focus', clause, target: c.target(m[1]) }];
  if ((m = /^(?:press|hit|push|tap|strike)\s+(.+)$/i.exec(text))) {
    const arg = m[1].trim();
    const whole = keyName(c.plain(arg));
    const withTarget = /^(.+?)\s+(?:in|on|into|inside|within)\s+(.+)$/i.exec(arg);
    const key = whole ?? (withTarget ? keyName(c.plain(withTarget[1])) : undefined);
    // "press Submit": not a key, so the button.
    if (!key) return [{ verb: 'click', clause, target: c.target(arg) }];
    return [{ verb: 'press', clause, key, ...(!whole && withTarget ? { target: c.target(withTarget[2]) } : {}) }];
  }
  if ((m = /^(?:(double|right)[- ]?)?(?:click|tap)(?:\s+(?:on|at))?\s+(.+)$/i.exec(text))) {
    const how = m[1] ? (m[1].toLowerCase() as 'double' | 'right') : undefined;
    return [{ verb: 'click', clause, target: c.target(m[2]), ...(how ? { how } : {}) }];
  }
  if (/^(?:(?:double|right)[- ]?)?click$/i.test(text)) return unclear(c, 'say what to click, e.g. click Save');
  m =
    /^(?:hover(?:\s+(?:over|on))?|mouse\s*over|move\s+(?:the\s+)?(?:mouse|cursor|pointer)\s+(?:over|to|onto))\s+(.+)$/i.exec(
      text,
    );
  return m ? [{ verb: 'hover', clause, target: c.target(m[1]) }] : undefined;
}

/** Words that say what kind of list, not which one: "the scroll list", "the drop-down". */
const LIST_ADJECTIVES = /^(?:scroll(?:ing|able)?|drop\s?-?down|select(?:ion)?|options?|choices?|long|short)$/i;

/** expand/collapse a section, close/dismiss a dialog, send, log out, sort by, add X to the cart. */
function parseRevealing(c: ClauseText): Parsed {
  const text = c.text.trim();
  const clause = c.written;
  let m = /^(expand|collapse|open\s+up|fold|unfold)(?:\s+(.+))?$/i.exec(text);
  if (m) {
    const open = !/^(?:collapse|fold)$/i.test(m[1]);
    const generic =
      !m[2] ||
      /^(?:all|everything|(?:the\s+)?(?:section|panel|menu|tree|pie menu|accordion|list|it)(?:\s+(?:below|above))?)$/i.test(
        c.plain(m[2]),
      );
    return [{ verb: 'expand', clause, open, ...(generic ? {} : { target: c.target(m[2]) }) }];
  }
  if ((m = /^(?:close|dismiss|exit|hide)(?:\s+(.+))?$/i.exec(text))) {
    const what = m[1] ? c.plain(m[1]) : '';
    const generic =
      !what ||
      /^(?:it|this|that|(?:the\s+)?(?:dialog|dialog box|modal|pop-?up|window|banner|message|alert|overlay|notice))$/i.test(
        what,
      );
    return [{ verb: 'close', clause, ...(generic ? {} : { target: c.target(m[1]) }) }];
  }
  if (/^send(?:\s+(?:it|this|that|the\s+(?:form|message|email|reply)))?$/i.test(text))
    return [
      {
        verb: 'click',
        clause,
        target: {
          raw: 'the send button',
          text: 'send',
          role: 'button',
          anyOf: ['submit', 'send message', 'post', 'reply'],
        },
      },
    ];
  if (/^(?:log|sign)\s*(?:out|off)$|^logout$/i.test(text))
    return [
      {
        verb: 'click',
        clause,
        target: { raw: 'log out', text: 'log out', anyOf: ['logout', 'sign out', 'log off', 'sign off'] },
      },
    ];
  if ((m = /^sort(?:\s+(?:the\s+)?\w+)?\s+by\s+(.+?)(?:\s+\((?:asc|desc)\w*\))?$/i.exec(text))) {
    const by = c.plain(m[1]);
    return [
      {
        verb: 'select',
        clause,
        value: by,
        target: {
          raw: 'the sort control',
          text: 'sort',
          role: 'dropdown',
          anyOf: ['sort by', 'order by', 'sort order'],
        },
      },
    ];
  }
  // "add Blue Teapot to the cart", "add the second product to the cart": that item's add button.
  if (
    (m = /^add\s+(.+?)\s+to\s+(?:the\s+|my\s+)?(cart|basket|bag|wishlist|wish list|favou?rites|list|order)$/i.exec(
      text,
    ))
  ) {
    const item = c.target(m[1]);
    const bag = m[2].toLowerCase();
    const where =
      item.ordinal !== undefined
        ? { withinOrdinal: item.ordinal }
        : { within: c.plain(m[1]).replace(/^(?:the|a|an|one)\s+/i, '') };
    return [
      {
        verb: 'click',
        clause,
        target: {
          raw: c.plain(m[0]),
          text: `add to ${bag}`,
          anyOf: [`add to ${bag}`, 'add', 'buy', `add to my ${bag}`],
          ...where,
        },
      },
    ];
  }
  return undefined;
}

/** type/enter/fill/set/clear … into …, select/choose … from …. */
function parseFilling(c: ClauseText): Parsed {
  const text = c.text.trim();
  const clause = c.written;
  const field = (piece: string) => c.target(piece, { role: 'field' });
  let m = /^(?:type|enter|input|write|key\s+in|put|insert|paste)\s+(?:in\s+(?=\u0001))?(.+)$/i.exec(text);
  if (m) return parseTyping(c, m[1]);
  if ((m = /^fill(?:\s+(?:in|out))?\s+(.+?\s+with\s+.+)$/i.exec(text))) return parseFillWith(c, m[1]);
  if ((m = /^fill(?:\s+in)?\s+(.+?)\s+(?:into|in)\s+(.+)$/i.exec(text)))
    return [{ verb: 'type', clause, value: c.value(m[1]), target: field(m[2]) }];
  if ((m = /^(?:set|change|update)\s+(?:the\s+value\s+of\s+)?(.+?)\s+to\s+(.+)$/i.exec(text)))
    return [{ verb: 'type', clause, value: c.value(m[2]), target: field(m[1]) }];
  if ((m = /^(?:clear|empty|erase)\s+(.+)$/i.exec(text)))
    return [{ verb: 'type', clause, value: '', target: field(m[1]) }];
  if (!(m = /^(?:select|choose|pick)\s+(?:the\s+)?(?:option\s+)?(.+)$/i.exec(text))) return undefined;
  const arg = m[1].trim();
  // "Select File > Save", "select A>B>C": a menu path.
  const path = c.plain(arg).split(/\s*(?:>|→|»)\s*/);
  if (path.length > 1 && path.every(Boolean)) return [{ verb: 'menu', clause, path }];
  // "Select 11/14/2016 as the date", "select 5 with the spinner": a value for that field.
  const into = /^(.+?)\s+(?:as|with|using)\s+(?:the\s+)?(.+)$/i.exec(arg);
  if (into && !/\b(?:checkbox|box|option|radio)/i.test(into[2]))
    return [{ verb: 'type', clause, value: c.value(into[1]), target: field(into[2]) }];
  const { value, target } = c.valueAndTarget(arg, ['from', 'in', 'under', 'for']);
  const values = value.split(/\s*,\s*(?:and\s+)?|\s+and\s+/i).filter(Boolean);
  if (/^(?:nothing|none|no(?:\s+\w+)?)$/i.test(c.plain(value))) return [];
  const named = target ? c.target(target) : undefined;
  const dropdown = named ? { ...named, role: named.role ?? ('dropdown' as const) } : undefined;
  // "from the list": whichever list or dropdown holds the option.
  const where =
    dropdown &&
    ((dropdown.text && !LIST_ADJECTIVES.test(dropdown.text)) ||
      !['list', 'item', 'dropdown', 'menu'].includes(dropdown.role ?? ''))
      ? { target: dropdown.role === 'list' ? { ...dropdown, role: 'dropdown' as const } : dropdown }
      : {};
  if (target || values.length > 1)
    return values.map((one, index) => ({
      verb: 'select' as const,
      clause,
      value: c.value(one),
      ...where,
      ...(index > 0 ? { add: true } : {}),
    }));
  // "select the Remember me checkbox", "pick the second tab": not an option of a dropdown.
  const whole = c.target(m[1]);
  if (whole.role === 'checkbox') return [{ verb: 'check', clause, items: [whole], checked: true }];
  if (whole.role && whole.role !== 'dropdown' && whole.role !== 'option')
    return [{ verb: 'click', clause, target: whole }];
  return [{ verb: 'select', clause, value: c.value(value) }];
}

/** check/tick/uncheck/toggle/mark … as done. */
function parseChecking(c: ClauseText): Parsed {
  const text = c.text.trim();
  let m: RegExpExecArray | null;
  if (/^check\s+(?:that|if|whether|for)\b/i.test(text))
    return unclear(c, 'checking a condition is not a step; say what to do, e.g. wait for "Saved"');
  if ((m = /^mark\s+(.+?)\s+as\s+(?:done|complete|completed|finished|read)$/i.exec(text)))
    return [checkIntent(c, m[1], true)];
  if ((m = /^(?:check|tick|mark|enable)\s+(.+)$/i.exec(text))) return [checkIntent(c, m[1], true)];
  if ((m = /^(?:uncheck|untick|deselect|unselect|disable)\s+(.+)$/i.exec(text))) return [checkIntent(c, m[1], false)];
  if ((m = /^toggle\s+(.+)$/i.exec(text))) return [checkIntent(c, m[1], 'toggle')];
  return undefined;
}

/** scroll, wait, find, and extract/get/read/list. */
function parseReading(c: ClauseText): Parsed {
  const text = c.text.trim();
  const clause = c.written;
  let m = /^scroll\b\s*(.*)$/i.exec(text);
  if (m)
    return (
      parseScroll(c, m[1].trim()) ??
      unclear(c, 'say where to scroll: down, up, to the top, to the bottom, or to an element')
    );
  if ((m = /^wait\b\s*(.*)$/i.exec(text)))
    return parseWait(c, m[1].trim()) ?? unclear(c, 'say what to wait for, e.g. wait for "Saved" or wait 2 seconds');
  if ((m = /^(?:find|locate)\s+(.+)$/i.exec(text))) {
    // "find the Export button" brings a control into view (exploring if need be); "find the price" reads it.
    const target = c.target(m[1]);
    if (target.role && !['item', 'row', 'cell', 'heading', 'list', 'image'].includes(target.role))
      return [{ verb: 'scroll', clause, target }];
  }
  if ((m = /^(?:list|collect)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?(.+)$/i.exec(text))) {
    const description = c.plain(m[0].replace(/^\S+\s+/, ''));
    return [
      { verb: 'extract', clause, what: { kind: 'list', description, words: c.plain(m[1]).replace(/\s+list$/i, '') } },
    ];
  }
  m =
    /^(?:extract|get|read|copy|scrape|grab|fetch|return|retrieve|capture|report|tell\s+me|show\s+me|give\s+me|what\s+is|what's|whats|what\s+are|what(?=\s+does\s+(?:the|this)\s+page\b)|find\s+out|find|locate)\s+(.+)$/i.exec(
      text,
    );
  return m ? [{ verb: 'extract', clause, what: parseExtract(c, m[1].trim()) }] : undefined;
}

function checkIntent(c: ClauseText, list: string, checked: boolean | 'toggle'): Intent {
  const clause = c.written;
  const cleaned = list.replace(
    /^(?:the\s+)?(?:(?:check ?)?box(?:es)?|options?)\s+(?:next\s+to|for|of|labell?ed|named)\s+/i,
    '',
  );
  const items = cleaned
    .split(/\s*(?:,|\band\b|&)\s*/i)
    .filter((item) => item.trim() && !/^(?:and|or)$/i.test(item.trim()));
  const together = items.length > 1 ? { together: c.target(cleaned, { role: 'checkbox' }) } : {};
  return {
    verb: 'check',
    clause,
    items: items.map((item) => c.target(item, { role: 'checkbox' })),
    checked,
    ...together,
  };
}

function parseScroll(c: ClauseText, rest: string): Intent[] | undefined {
  const clause = c.written;
  const lower = c.plain(rest).toLowerCase();
  // "scroll the text area to the bottom", "scroll to the top of the list (and) hit submit": its own content.
  const inside =
    /^(?:(?:the\s+)?(.+?)\s+)?(?:all\s+the\s+way\s+)?(?:down\s+|up\s+)?to\s+(?:the\s+)?(?:very\s+)?(top|bottom|end)(?:\s+of\s+(?:the\s+)?(.+?))?(?:\s+(?:and\s+)?(hit|press|click|tap)\s+(.+))?$/i.exec(
      rest,
    );
  const element = inside && (inside[1] ?? inside[3]);
  if (
    inside &&
    element &&
    !/^(?:(?:the\s+)?(?:page|screen|site|window|document|text|content|contents)|it|down|up|back|(?:all\s+the\s+way|way)(?:\s+(?:down|up|back))?)$/i.test(
      c.plain(element),
    )
  ) {
    const direction = inside[2].toLowerCase() === 'top' ? ('top' as const) : ('bottom' as const);
    const scroll: Intent = { verb: 'scroll', clause, direction, target: c.target(element) };
    return inside[5] ? [scroll, { verb: 'click', clause, target: c.target(inside[5]) }] : [scroll];
  }
  if (!lower || /^(?:the page\s+)?down(?:\s+the page)?(?:\s+(?:a bit|a little|some|more|once))?$/.test(lower))
    return [{ verb: 'scroll', clause, direction: 'down' }];
  if (/^(?:the page\s+)?up(?:\s+the page)?(?:\s+(?:a bit|a little|some|more|once))?$/.test(lower))
    return [{ verb: 'scroll', clause, direction: 'up' }];
  if (/^(?:(?:all the way|back)\s+)?(?:up\s+)?(?:to\s+(?:the\s+)?(?:very\s+)?top(?:\s+of the page)?|up)$/.test(lower))
    return [{ verb: 'scroll', clause, direction: 'top' }];
  if (
    /^(?:(?:all the way)\s+)?(?:down\s+)?(?:to\s+(?:the\s+)?(?:very\s+)?(?:bottom|end)(?:\s+of the page)?|down)$/.test(
      lower,
    )
  )
    return [{ verb: 'scroll', clause, direction: 'bottom' }];
  let m = /^(?:down\s+|up\s+)?(?:to|until(?:\s+you\s+see)?)\s+(.+?)(?:\s+is\s+visible)?$/i.exec(rest);
  if (m) return [{ verb: 'scroll', clause, target: c.target(m[1]) }];
  if ((m = /^(.+?)\s+into\s+view$/i.exec(rest))) return [{ verb: 'scroll', clause, target: c.target(m[1]) }];
  return undefined;
}

function parseWait(c: ClauseText, rest: string): Intent[] | undefined {
  const clause = c.written;
  const lower = c.plain(rest).toLowerCase();
  let m = /^(?:for\s+)?(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)$/.exec(lower);
  if (m) {
    const unit = m[2].startsWith('ms') || m[2].startsWith('milli') ? 1 : m[2].startsWith('m') ? 60_000 : 1000;
    return [{ verb: 'wait', clause, ms: Math.round(Number(m[1]) * unit) }];
  }
  if (!lower || /^(?:for\s+)?(?:a|one)\s+(?:second|moment|bit|sec|little)$/.test(lower))
    return [{ verb: 'wait', clause, ms: 1000 }];
  if (!(m = /^(?:for|until|till)\s+(.+)$/i.exec(rest))) return undefined;
  const subject = m[1]
    .replace(
      /\s+(?:to\s+)?(?:appear|appears|be visible|is visible|become visible|becomes visible|shows? up|to show up|is shown|be shown|load|loads|be loaded|is loaded|is displayed|be displayed)$/i,
      '',
    )
    .replace(/^(?:the\s+)?(?:text|message|word)\s+(?=\u0001)/i, '')
    .replace(/^(?:the\s+)?(.+?)\s+(?:message|notification|banner|toast|confirmation|alert|popup|text)$/i, '$1')
    .trim();
  if (/^(?:the\s+)?page$/i.test(subject)) return [{ verb: 'wait', clause, ms: 1000 }];
  if (isQuoted(subject)) return [{ verb: 'wait', clause, text: c.value(subject) }];
  return [{ verb: 'wait', clause, target: c.target(subject) }];
}

function parseExtract(c: ClauseText, arg: string): ExtractWhat {
  const description = c.plain(arg).replace(/[?.!]+$/, '');
  const inner = arg.replace(
    /^(?:me\s+)?(?:the\s+)?(?:text|value|content|contents|number|amount)\s+(?:of|in|from|on|inside)\s+/i,
    '',
  );
  const lower = c
    .plain(inner)
    .toLowerCase()
    .replace(/[?.!]+$/, '');
  if (/^(?:the\s+)?(?:page(?:'s)?\s+title|title\s+of\s+(?:the|this)\s+page|(?:document|tab)\s+title)$/.test(lower))
    return { kind: 'title', description };
  if (
    /^(?:the\s+)?(?:(?:whole|entire|main|visible)\s+)?(?:page(?:'s)?(?:\s+(?:text|content|contents))?|text|content|contents|body|everything|all(?:\s+the)?\s+text|text\s+(?:on|of)\s+(?:the|this)\s+page)$/.test(
      lower,
    )
  ) {
    return { kind: 'page', description };
  }
  if (/^(?:does|do)\s+(?:the|this)\s+page\s+(?:say|show|read)s?$/.test(lower)) return { kind: 'page', description };
  // Issue 12: what the page's own status or alert region says.
  if (/^(?:the\s+)?(?:status|error|alert|success|confirmation)(?:\s+(?:message|text|line|banner))?$/.test(lower))
    return { kind: 'status', description };
  const names = /^(?:the\s+)?(?:names\s+of\s+(?:all\s+)?(?:the\s+)?(.+?)|(.+?)\s+names)$/.exec(lower);
  if (names) return { kind: 'names', description, words: (names[1] ?? names[2]).replace(/s$/, '') };
  // "the price of Green Kettle", "the email of Ada": one field of the item named after "of".
  const field = /^(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)\s+(?:of|for)\s+(?!the\s+page\b)(.+)$/i.exec(
    c.plain(inner).replace(/[?.!]+$/, ''),
  );
  if (field && !/^(?:list|all|each|every|names?|text|value|content|contents)$/i.test(field[1]))
    return {
      kind: 'field',
      description,
      field: field[1].toLowerCase(),
      of: field[2].replace(/^(?:the\s+)/i, '').trim(),
    };
  const list =
    /^(?:the\s+)?(?:list\s+of|all(?:\s+of)?(?:\s+the)?|every|each)\s+(.+)$/i.exec(inner) ??
    /^(?:the\s+)?(.+?)\s+list$/i.exec(inner);
  if (list) return { kind: 'list', description, words: c.plain(list[1]) };
  return { kind: 'element', description, target: c.target(inner) };
}
