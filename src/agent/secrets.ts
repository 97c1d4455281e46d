// What counts as a secret in a natural-language action: variables named like one (`password`,
// `user_password`, `apiToken`, `card_cvv`…) and passwords written into the instruction itself
// ("enter my password hunter2", "password: hunter2", "my pin is 1234", "type s3cret into Password").
// Only detection lives here; run-secrets.ts keeps what is found away from planners, URLs, the step
// cache and answers.

/** Name parts that make a variable secret, matched whole (`user_password`, `apiToken`, `card_cvv`). */
const SECRET_PARTS = new Set([
  'password',
  'passwd',
  'pass',
  'pw',
  'pwd',
  'passphrase',
  'passcode',
  'pin',
  'pincode',
  'otp',
  'totp',
  'hotp',
  'mfa',
  '2fa',
  'token',
  'secret',
  'cvv',
  'cvv2',
  'cvc',
  'ssn',
  'apikey',
  'privatekey',
  'secretkey',
  'accesskey',
  'securitycode',
  'verificationcode',
  'authcode',
  'smscode',
  'logincode',
]);
/** Words that are secret wherever they sit in a name, even run together (`userpassword`, `myapikey`). */
const SECRET_INFIXES = ['password', 'passwd', 'passphrase', 'passcode', 'apikey'];

/** `apiToken` → api, token; `user_password2` → user, password, 2; `APIKey` → api, key. */
function nameParts(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.toLowerCase());
}

/** Whether a variable name says it holds a secret. Only clear names: `zip_code`, `pinned` are not. */
export function isSecretName(name: string): boolean {
  const parts = nameParts(name);
  const pairs = parts.slice(1).map((part, i) => parts[i] + part); // api_key → apikey, 2fa → 2 + fa
  if ([...parts, ...pairs].some((part) => SECRET_PARTS.has(part))) return true;
  const joined = parts.join('');
  return SECRET_INFIXES.some((word) => joined.includes(word));
}

/** Words naming a secret in an instruction; `digits` ones only count for a value with a digit ("pin 1234", not "pin the tab"). */
const WORDS = String.raw`pass(?:word|wd|phrase)|pwd|secret|(?:api|access)[ _-]?key|token`;
const DIGIT_WORDS = String.raw`pin(?:[ _-]?code)?|passcode|otp|one[- ]time\s+(?:code|password)|(?:security|verification|2fa|mfa|sms|login|auth(?:entication)?)\s+code|cvv2?|cvc`;
const KEYWORD = `(?:${DIGIT_WORDS}|${WORDS})`;
const QUOTED = String.raw`"([^"]+)"|'([^']+)'|“([^”]+)”|‘([^’]+)’|\u0060([^\u0060]+)\u0060`;
const CONNECTOR = String.raw`(?:into|in|as|for|and|then|to|with|on)`;
/** A value as written: quoted, or words up to the next connector ("correct horse battery into …"). */
const VALUE = String.raw`(?:${QUOTED}|([^\s,;"“‘\u0060]+(?:\s+(?!${CONNECTOR}\b)[^\s,;"“‘\u0060]+)*?))`;
const SINGLE = String.raw`(?:${QUOTED}|([^\s,;"“‘\u0060]+))`;

/** "password hunter2", "password: hunter2", "my pin is 1234", "with password "hunter2"". */
const NAMED_THEN_VALUE = new RegExp(
  String.raw`\b(${KEYWORD})\b(?:\s*[:=]\s*|\s+(?:is|was|of)\s*:?\s+|\s+)${SINGLE}`,
  'gi',
);
/** "type hunter2 into Password", "and s3cret into the password field", "enter 1234 as my PIN". */
const VALUE_INTO_NAMED = new RegExp(
  String.raw`\b(?:type|enter|input|write|put|paste|key\s+in|use|and|then)\s+${VALUE}\s+(?:into|in|as|for)\s+(?:the\s+|my\s+|your\s+|a\s+)?(${KEYWORD})\b`,
  'gi',
);
/** "fill Password with s3cret", "set my password to hunter2". */
const FILL_NAMED = new RegExp(
  String.raw`\b(?:fill(?:\s+in|\s+out)?|set|change|update)\s+(?:the\s+|my\s+|your\s+)?(${KEYWORD})(?:\s+(?:field|box|input))?\s+(?:with|to)\s+${SINGLE}`,
  'gi',
);

/** Words that follow "password" without being one: "the password field", "password reset link". */
const NOT_VALUES = new Set(
  `a an the my your our his her their its this that it is was be and or then into in on for with to of as from at by field fields box input textbox
   reset forgot forgotten manager again here there below above twice once strength hint page link button tab form prompt dialog please now too also
   confirmation confirm new old current same instead if when so you me`.split(/\s+/),
);
const KEYWORD_ONLY = new RegExp(`^${KEYWORD}$`, 'i');
const TEMPLATE_MARK = /^\u0003(\d+)\u0003$/;

export interface WrittenSecrets {
  /** Values written as passwords. */
  literals: string[];
  /** Variables written where a password goes ("password {{x}}"): secret too. */
  variables: string[];
}

/** Addresses: what a user writes into a URL is a URL, not a password written for a field. */
const ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/\S+|\S+\?\S*=\S*/gi;

/** Passwords, PINs and codes written into an instruction, and variables written in their place. */
export function secretsWrittenIn(instruction: string): WrittenSecrets {
  const templates: string[] = [];
  // {{password}} holds the word "password": set templates aside so only real words count.
  const text = instruction
    .replace(ADDRESS, ' ')
    .replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (_, name: string) => `\u0003${templates.push(name) - 1}\u0003`);
  const literals = new Set<string>();
  const variables = new Set<string>();
  const take = (keyword: string, groups: Array<string | undefined>) => {
    const quoted = groups.slice(0, 5).find((g) => g !== undefined);
    const value = quoted ?? groups[5]?.replace(/[.!?)\]]+$/, '');
    if (!value) return;
    const template = TEMPLATE_MARK.exec(value.trim());
    if (template) return void variables.add(templates[Number(template[1])]);
    if (value.includes('\u0003')) return;
    const words = value.toLowerCase().split(/\s+/);
    if (quoted === undefined && words.every((word) => NOT_VALUES.has(word) || KEYWORD_ONLY.test(word))) return;
    if (new RegExp(`^(?:${DIGIT_WORDS})$`, 'i').test(keyword) && !/\d/.test(value)) return;
    literals.add(value);
  };
  for (const m of text.matchAll(NAMED_THEN_VALUE)) take(m[1], m.slice(2, 8));
  for (const m of text.matchAll(VALUE_INTO_NAMED)) take(m[7], m.slice(1, 7));
  for (const m of text.matchAll(FILL_NAMED)) take(m[1], m.slice(2, 8));
  return { literals: [...literals], variables: [...variables] };
}
