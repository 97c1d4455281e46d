// The grammar of one clause: the first verb family whose rule fits (going, pointing, revealing,
// filling; checking and reading are grammar-reading.ts), or an error quoting the clause.
import { ClauseText, isAddress, isQuoted } from './clauses.js';
import { parseCompound } from './compound.js';
import { parseFillWith, parseTyping } from './fill.js';
import { parseChecking, parseReading, unclear, type Parsed } from './grammar-reading.js';
import type { Intent } from './intents.js';
import { isUrlLike, keyName } from './keys-and-urls.js';

const VERB =
  /^(?:navigate|go|open|visit|browse|load|launch|head|reload|refresh|click|double[- ]?click|right[- ]?click|tap|press|hit|push|type|enter|input|write|key|put|insert|paste|fill|set|change|update|clear|empty|erase|select|choose|pick|check|tick|mark|enable|disable|uncheck|untick|deselect|unselect|toggle|focus|hover|mouse|mouseover|move|scroll|wait|extract|get|read|copy|scrape|grab|fetch|return|retrieve|collect|capture|report|list|tell|show|give|what|what's|whats|find|locate|search|log|login|logout|sign|signin|submit|create|add|schedule|make|book|expand|collapse|close|dismiss|send|use|switch|sort|reply|forward|delete|remove|star|flag|take|give|throw|respond|share)\b/i;

export const startsWithVerb = (piece: string) => VERB.test(piece);

export const UNDERSTOOD =
  'navigate/go to/open, click/press/tap, type/enter/fill … into …, select … from …, check/uncheck, press <key>, focus, hover, scroll, wait for, extract/get/read';

/** One clause: the first verb family whose grammar fits, or an error quoting the clause. */
export function parseClause(c: ClauseText): Intent[] | string {
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
