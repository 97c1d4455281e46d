// Phrases that stand for several steps: "log in as alice with password s3cret", "submit the
// form", "search for shoes", and seed 000's "Create a meeting called Internal sync for tomorrow at
// 3pm" — the title, date and time go into the fields named so (Title/Name/Subject, Date, Time),
// people are checked, then Save/Create is clicked. Without such fields on the page the planner
// fails and names the fields it did see; it never invents a value for a field nobody mentioned.
import type { Intent } from './intents.js';
import type { ClauseText } from './clauses.js';
import { parseMessaging } from './messages.js';
import type { TargetPhrase } from './phrases.js';
import { parseDate, parseTime } from './values.js';

const LOGIN_USER: TargetPhrase = {
  raw: 'the username field',
  text: 'username',
  role: 'field',
  anyOf: ['user name', 'email', 'e-mail', 'login', 'user', 'account', 'email address'],
};
const LOGIN_PASSWORD: TargetPhrase = { raw: 'the password field', text: 'password', role: 'field' };
const LOGIN_BUTTON: TargetPhrase = {
  raw: 'the sign-in button',
  text: 'sign in',
  role: 'button',
  anyOf: ['log in', 'login', 'submit', 'continue', 'next'],
};
const SUBMIT_BUTTON: TargetPhrase = {
  raw: 'the submit button',
  text: 'submit',
  role: 'button',
  anyOf: ['save', 'send', 'ok', 'continue', 'done', 'create', 'sign in', 'log in', 'search', 'apply', 'confirm'],
};
const SEARCH_FIELD: TargetPhrase = {
  raw: 'the search box',
  text: 'search',
  role: 'field',
  anyOf: ['query', 'find', 'keywords', 'q'],
};

const CREATE_VERB = String.raw`(?:create|add|schedule|make|book|set\s+up|plan)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?`;
const CREATE_NAMED = new RegExp(
  String.raw`^${CREATE_VERB}(.+?)\s+(?:called|named|titled|with\s+(?:the\s+)?(?:title|name|subject))\s+(.+)$`,
  'i',
);
const CREATE_UNNAMED = new RegExp(String.raw`^${CREATE_VERB}([\w-]+)\s+(.+)$`, 'i');

export function parseCompound(c: ClauseText): Intent[] | undefined {
  const text = c.text.trim();
  const clause = c.written;
  const messaging = parseMessaging(c, text, clause);
  if (messaging) return messaging;
  let m =
    /^(?:log|sign)\s*(?:in|on)(?:\s+to\s+\S+)?\s+(?:as|with\s+(?:the\s+)?(?:username|user\s*name|user|email|e-mail|login|account))\s+(\S+)\s+(?:and|with)\s+(?:the\s+)?password\s+(\S+)$/i.exec(
      text,
    );
  if (m) {
    return [
      { verb: 'type', clause, value: c.value(m[1]), target: LOGIN_USER },
      { verb: 'type', clause, value: c.value(m[2]), target: LOGIN_PASSWORD },
      { verb: 'click', clause, target: LOGIN_BUTTON },
    ];
  }
  if (/^(?:log|sign)\s*(?:in|on)$/i.test(text)) return [{ verb: 'click', clause, target: LOGIN_BUTTON }];
  if (/^submit(?:\s+(?:the|this)\s+form)?$/i.test(text)) return [{ verb: 'click', clause, target: SUBMIT_BUTTON }];
  if ((m = /^search\s+(?:for\s+)?(.+?)(?:\s+(?:in|using|with)\s+(.+?\b(?:box|field|bar|input)))?$/i.exec(text))) {
    const target = m[2] ? c.target(m[2], { role: 'field' }) : SEARCH_FIELD;
    return [
      { verb: 'type', clause, value: c.value(m[1]), target },
      { verb: 'press', clause, key: 'Enter' },
    ];
  }
  return parseCreate(c, text, clause);
}

interface Details {
  date?: string;
  time?: string;
  people?: string[];
}

const TIME = /^(?:(?:at|@|from)\s+)?(\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?|noon|midday|midnight)(?=\s|$)\s*(.*)$/i;
const DATE =
  /^(?:(?:for|on)\s+)?((?:the\s+)?day after tomorrow|today|tomorrow|(?:next|this|coming)\s+\w+|\w+day|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4}|[a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]+(?:\s+\d{4})?|in\s+\w+\s+(?:days?|weeks?))(?=\s|$)\s*(.*)$/i;

/** "for tomorrow at 3pm with Alice and Bob", in any order; undefined when other words are left. */
function readDetails(text: string): Details | undefined {
  const out: Details = {};
  let rest = text.trim();
  while (rest) {
    let m = TIME.exec(rest);
    if (m && !out.time && parseTime(m[1]) !== undefined) {
      out.time = m[1];
      rest = m[2];
      continue;
    }
    m = DATE.exec(rest);
    if (m && !out.date && parseDate(m[1], new Date()) !== undefined) {
      out.date = m[1];
      rest = m[2];
      continue;
    }
    m = /^(?:with|inviting|and invite)\s+(.+)$/i.exec(rest);
    if (m && !out.people) {
      out.people = m[1].split(/\s*(?:,|\band\b|&)\s*/i).filter(Boolean);
      rest = '';
      continue;
    }
    return undefined;
  }
  return out;
}

/** The name and the details of "… called <name> <details>": the shortest name after which only details follow. */
function splitName(rest: string): { name: string; details: Details } {
  const words = rest.trim().split(/\s+/);
  for (let i = 1; i < words.length; i++) {
    const details = readDetails(words.slice(i).join(' '));
    if (details) return { name: words.slice(0, i).join(' '), details };
  }
  return { name: rest.trim(), details: {} };
}

function parseCreate(c: ClauseText, text: string, clause: string): Intent[] | undefined {
  let thing: string;
  let name: string | undefined;
  let details: Details;
  let m = CREATE_NAMED.exec(text);
  if (m) {
    thing = c.plain(m[1]).toLowerCase();
    ({ name, details } = splitName(m[2]));
  } else if ((m = CREATE_UNNAMED.exec(text)) && readDetails(m[2])) {
    thing = c.plain(m[1]).toLowerCase();
    details = readDetails(m[2]) as Details;
  } else {
    return undefined;
  }
  const openers = ['create', 'new', 'add', `new ${thing}`, `create ${thing}`, `add ${thing}`];
  const intents: Intent[] = [];
  if (name) {
    const target = {
      raw: `the ${thing}'s title`,
      text: 'title',
      role: 'field' as const,
      anyOf: ['name', 'subject', 'summary', `${thing} title`, `${thing} name`, thing, 'add title'],
    };
    intents.push({ verb: 'type', clause, value: c.value(name), target, openers });
  }
  if (details.date) {
    const target = {
      raw: `the ${thing}'s date`,
      text: 'date',
      role: 'field' as const,
      anyOf: ['day', 'start date', 'when', `${thing} date`],
    };
    intents.push({ verb: 'type', clause, value: c.plain(details.date), valueKind: 'date', target, openers });
  }
  if (details.time) {
    const target = {
      raw: `the ${thing}'s time`,
      text: 'time',
      role: 'field' as const,
      anyOf: ['start time', 'start', 'from', 'hour', `${thing} time`],
    };
    intents.push({ verb: 'type', clause, value: c.plain(details.time), valueKind: 'time', target, openers });
  }
  if (details.people?.length) {
    intents.push({
      verb: 'check',
      clause,
      items: details.people.map((person) => ({
        raw: c.plain(person),
        text: c.plain(person),
        role: 'checkbox' as const,
      })),
      checked: true,
    });
  }
  const save = {
    raw: `the button that saves the ${thing}`,
    text: 'save',
    role: 'button' as const,
    anyOf: [
      'create',
      'schedule',
      'add',
      'done',
      'submit',
      'ok',
      'book',
      'confirm',
      `save ${thing}`,
      `create ${thing}`,
      `add ${thing}`,
    ],
  };
  intents.push({ verb: 'click', clause, target: save });
  return intents;
}
