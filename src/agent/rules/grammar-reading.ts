// The grammar of clauses that check boxes and that read rather than act: check/uncheck/toggle,
// scroll, wait, find, and extract/get/read/list.
import type { ClauseText } from './clauses.js';
import { isQuoted } from './clauses.js';
import type { ExtractWhat, Intent } from './intents.js';

export type Parsed = Intent[] | string | undefined;

export const unclear = (c: ClauseText, hint: string) => `could not understand "${c.written}": ${hint}`;

/** check/tick/uncheck/toggle/mark … as done. */
export function parseChecking(c: ClauseText): Parsed {
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
export function parseReading(c: ClauseText): Parsed {
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
