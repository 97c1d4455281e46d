// Instructions about messages in a mail-like app, as people write them: "forward Ada's email to
// Bob", "Forward Bob the email from Ada", "find the message by Ada and send it on to Bob", "reply to
// the email from Ada saying Thanks", "delete the email Ada sent", "star Ada's message". The message
// is named by its sender (Ada's, from/by Ada, Ada sent/wrote); the steps are opening it (when an
// earlier clause or the words name it), the Forward/Reply/Delete/Star control, the field and Send.
import type { ClauseText } from './clauses.js';
import type { Intent } from './intents.js';
import type { TargetPhrase } from './phrases.js';

const MESSAGE = String.raw`(?:e-?mails?|messages?|mails?|notes?)`;
const PRONOUN = /^(?:it|them|this|that|these|those|one)$/i;
const NOT_NAMES =
  /^(?:i|me|you|we|us|he|she|they|him|her|it|them|that|which|who|the|a|an|my|your|today|yesterday|last|latest|first|recent|most|new|all|this)$/i;
const TIME_WORDS = /\b(?:today|yesterday|this morning|last week|recently)\b/gi;

/** Whose message the words name: "Ada's email", "the email from Ada", "the mail Ada sent you". */
export function messageOwner(words: string): string | undefined {
  const text = words.replace(TIME_WORDS, ' ').replace(/\s+/g, ' ').trim();
  const candidates = [
    /(?:^|\s)([^\s']+)'s?(?=\s|$)/.exec(text)?.[1],
    /(?:^|\s)([^\s']+)’s(?=\s|$)/.exec(text)?.[1],
    /\b(?:from|by)\s+(@?[\w.-]+)/i.exec(text)?.[1],
    /(?:^|\s)(@?[\w.-]+)\s+(?:sent|wrote|forwarded|emailed|mailed)\b/i.exec(text)?.[1],
    new RegExp(String.raw`(?:^|\s)([A-Z][\w.-]*)\s+${MESSAGE}\b`).exec(text)?.[1],
  ];
  return candidates.find((name) => !!name && !NOT_NAMES.test(name) && !new RegExp(`^${MESSAGE}$`, 'i').test(name));
}

/** "reply to Ada": a person named alone. */
const soleName = (words: string) => (/^@?[A-Z][\w.-]*$/.test(words.trim()) ? words.trim() : undefined);

const SEND: TargetPhrase = {
  raw: 'the send button',
  text: 'send',
  anyOf: ['send reply', 'send forward', 'submit', 'send message'],
};
const BODY: TargetPhrase = {
  raw: 'the message',
  text: '',
  role: 'field',
  anyOf: ['message', 'body', 'reply', 'text', 'reply text'],
};
const RECIPIENT: TargetPhrase = {
  raw: 'the recipient',
  text: '',
  role: 'field',
  anyOf: ['to', 'recipient', 'forward to', 'email address', 'forward sender'],
};

/** Open the message: its owner's item when the words name one, else the one an earlier clause named. */
function open(clause: string, owner: string | undefined): Intent {
  return owner
    ? { verb: 'click', clause, target: { raw: `the message from ${owner}`, text: '', within: owner } }
    : { verb: 'click', clause, target: { raw: 'the item', text: '', needsScope: true } };
}

function forward(c: ClauseText, clause: string, owner: string | undefined, to: string): Intent[] {
  return [
    open(clause, owner),
    { verb: 'click', clause, target: { raw: 'the forward button', text: 'forward' } },
    { verb: 'type', clause, value: c.value(to), target: RECIPIENT },
    { verb: 'click', clause, target: SEND },
  ];
}

/** One clause about a message, or undefined when it is not one. */
export function parseMessaging(c: ClauseText, text: string, clause: string): Intent[] | undefined {
  const plain = c.plain(text);
  // "Tell Ada "Thanks" in an email", "Say to Ada "Thanks"", "Respond "Thanks" to the email from Ada",
  // "Reply with the message "Thanks" to Ada's email": the words and whom they are for, either order.
  const told =
    /^(?:tell|say\s+to|write\s+to|message|e-?mail)\s+(@?[\w.@-]+)\s+(\u0001\d+\u0001)(?:\s+(?:in|by|with|as)\s+(?:an?\s+)?(?:e-?mail|message|reply|mail))?$/i.exec(
      text,
    );
  const wordsFirst =
    /^(?:reply|respond|answer|write\s+back)(?:\s+(?:with|saying))?\s+(?:(?:the|a)\s+)?(?:message|text|words?|reply)?\s*(\u0001\d+\u0001)\s+(?:to|on)\s+(.+)$/i.exec(
      text,
    );
  if (told || wordsFirst) {
    const [value, whom] = told ? [told[2], told[1]] : [wordsFirst![1], wordsFirst![2]];
    return [
      open(clause, messageOwner(c.plain(whom)) ?? soleName(c.plain(whom))),
      { verb: 'click', clause, target: { raw: 'the reply button', text: 'reply', anyOf: ['respond'] } },
      { verb: 'type', clause, value: c.value(value), target: BODY },
      { verb: 'click', clause, target: SEND },
    ];
  }
  // reply (to X) with/saying Y
  let m =
    /^(?:reply|respond|answer|write\s+(?:(?:him|her|them)\s+)?back)(?:\s+(?:to\s+)?(.+?))?\s+(?:with|saying|by\s+saying)\s+(?:(?:the|a|an)\s+)?(?:text|message|words?|reply)?\s*(.+)$/i.exec(
      text,
    ) ??
    /^(?:reply|respond|answer|write\s+(?:(?:him|her|them)\s+)?back)(?:\s+to\s+(.+?))?\s*,?\s*(\u0001\d+\u0001)$/i.exec(
      text,
    );
  if (m)
    return [
      open(clause, m[1] ? (messageOwner(c.plain(m[1])) ?? soleName(c.plain(m[1]))) : undefined),
      { verb: 'click', clause, target: { raw: 'the reply button', text: 'reply', anyOf: ['respond'] } },
      { verb: 'type', clause, value: c.value(m[2]), target: BODY },
      { verb: 'click', clause, target: SEND },
    ];
  // "The mail by Ada should be forwarded to Bob", "I want the email from Ada to be sent to Bob"
  m = new RegExp(
    String.raw`^(?:i\s+(?:want|need|would\s+like)\s+)?(.*\b${MESSAGE}\b.*?)\s+(?:should|must|needs\s+to|has\s+to|to)\s+(?:be\s+)?(?:forwarded|sent|given|passed)\s+(?:on\s+|along\s+)?to\s+(@?[\w.@-]+)$`,
    'i',
  ).exec(plain);
  if (m) return forward(c, clause, messageOwner(m[1]), m[2]);
  // "Bob wants the email from Ada", "Bob must be forwarded the email from Ada"
  m = new RegExp(
    String.raw`^(@?[\w.@-]+)\s+(?:wants|needs|would\s+like|should\s+(?:get|see|have)|must\s+(?:get|see|have)|must\s+be\s+(?:forwarded|sent|given)|needs\s+to\s+(?:get|see))\s+(.*\b${MESSAGE}\b.*)$`,
    'i',
  ).exec(plain);
  if (m && !NOT_NAMES.test(m[1])) return forward(c, clause, messageOwner(m[2]), m[1]);
  // forward/send/give/pass X to Y, forward Y X
  m = /^(?:forward|foward|resend|re-send|send|give|pass|copy|share)\s+(.+)$/i.exec(plain);
  if (!m) return parseMarking(c, plain, clause);
  const rest = m[1].replace(/\s+(?:please|for me|now)$/i, '').trim();
  const to = /(?:^|\s)(?:on\s+|along\s+|over\s+|back\s+)?to\s+(@?[\w.@-]+)(?=\s|$)/i.exec(rest);
  if (to && !/^(?:me|the)$/i.test(to[1])) {
    const object = (rest.slice(0, to.index) + ' ' + rest.slice(to.index + to[0].length)).trim();
    const owner = messageOwner(object);
    // "forward to Bob" after "find Ada's email": the message named before.
    const named =
      !object ||
      owner !== undefined ||
      PRONOUN.test(object.split(' ')[0] ?? '') ||
      new RegExp(MESSAGE, 'i').test(object);
    return named ? forward(c, clause, owner, to[1]) : undefined;
  }
  // "Forward Bob the email from Ada", "Give Bob Ada's email"
  const double = new RegExp(String.raw`^(@?[\w.@-]+)\s+(.*\b${MESSAGE}\b.*)$`, 'i').exec(rest);
  if (double && !NOT_NAMES.test(double[1])) return forward(c, clause, messageOwner(double[2]), double[1]);
  return undefined;
}

/** delete/trash X's message; star/flag/mark X's message (as important). */
function parseMarking(c: ClauseText, plain: string, clause: string): Intent[] | undefined {
  const message = new RegExp(String.raw`\b${MESSAGE}\b`, 'i');
  const DELETE = {
    raw: 'the delete control',
    text: 'delete',
    anyOf: ['trash', 'remove', 'bin', 'discard'],
  };
  // "delete it" after "find Ada's email"; "there is a message from Ada that needs to be deleted"
  if (
    /^(?:delete|remove|trash|discard|bin|throw\s+away|get\s+rid\s+of|erase)\s+(?:it|this|that|them|this\s+one)$/i.test(
      plain,
    )
  )
    return [{ verb: 'click', clause, target: DELETE }];
  const passive = new RegExp(
    String.raw`(.*\b${MESSAGE}\b.*?)\s+(?:that\s+|which\s+)?(?:needs|has|should|must|ought)\s+(?:to\s+)?be\s+(?:deleted|removed|trashed|thrown\s+away)$`,
    'i',
  ).exec(plain);
  const put = new RegExp(
    String.raw`^(?:put|move|send|drag)\s+(.*\b${MESSAGE}\b.*?)\s+(?:in|into|to)\s+(?:the\s+)?(?:trash|bin|garbage|rubbish)$`,
    'i',
  ).exec(plain);
  const thrown = passive ?? put;
  if (thrown) {
    const owner = messageOwner(thrown[1]);
    return [{ verb: 'click', clause, target: { ...DELETE, ...(owner ? { within: owner } : {}) } }];
  }
  let m = /^(?:delete|remove|trash|discard|bin|throw\s+away|get\s+rid\s+of|erase)\s+(.+)$/i.exec(plain);
  if (m && message.test(m[1])) {
    const owner = messageOwner(m[1]);
    return [
      {
        verb: 'click',
        clause,
        target: {
          raw: `the delete control of ${m[1]}`,
          text: 'delete',
          anyOf: ['trash', 'remove', 'bin', 'discard'],
          ...(owner ? { within: owner } : {}),
        },
      },
    ];
  }
  // "mark it as important" after "find Ada's email": the message named before.
  if (
    /^(?:star|flag|mark|label)\s+(?:(?:it|this|that|them)\s+)?(?:as\s+)?(?:an?\s+)?(?:important|starred|flagged|favou?rite)?$/i.test(
      plain,
    )
  )
    return [
      {
        verb: 'click',
        clause,
        target: { raw: 'the star', text: 'star', anyOf: ['important', 'flag', 'favorite', 'mark as important'] },
      },
    ];
  // "Ada's email needs to be set as an important message", "the email from Ada should be marked important"
  const starred = new RegExp(
    String.raw`^(.*\b${MESSAGE}\b.*?)\s+(?:needs|has|should|must|ought)\s+(?:to\s+)?be\s+(?:set|marked|flagged|starred|made|labell?ed)(?:\s+as)?(?:\s+an?)?(?:\s+(?:important|starred|flagged|favou?rite))?(?:\s+(?:one|message|e-?mail))?$`,
    'i',
  ).exec(plain);
  if (starred) {
    const owner = messageOwner(starred[1]);
    const star = { raw: 'the star', text: 'star', anyOf: ['important', 'flag', 'favorite', 'mark as important'] };
    return [{ verb: 'click', clause, target: { ...star, ...(owner ? { within: owner } : {}) } }];
  }
  m =
    /^(?:star|flag|mark|label|change|make|set)\s+(.+?)(?:\s+(?:as|to|to\s+be|to\s+being|being)\s+(?:an?\s+)?(?:important|starred|flagged|favou?rite)(?:\s+one)?)?$/i.exec(
      plain,
    );
  if (
    m &&
    message.test(m[1]) &&
    (/^(?:star|flag)\b/i.test(plain) || /important|starred|flagged|favou?rite/i.test(plain))
  ) {
    const owner = messageOwner(m[1]);
    return [
      {
        verb: 'click',
        clause,
        target: {
          raw: `the star of ${m[1]}`,
          text: 'star',
          anyOf: ['important', 'flag', 'favorite', 'mark as important'],
          ...(owner ? { within: owner } : {}),
        },
      },
    ];
  }
  return undefined;
}
