// How an instruction describes a target: "the first item", "the 'Save' button", "the search box",
// "Add to cart for Green Kettle". Key names and addresses are keys-and-urls.ts.

/** The kind of element a description names by its last word: "the Save *button*". */
export type RoleHint =
  | 'button'
  | 'link'
  | 'field'
  | 'checkbox'
  | 'radio'
  | 'dropdown'
  | 'tab'
  | 'menu'
  | 'menuitem'
  | 'item'
  | 'row'
  | 'heading'
  | 'option'
  | 'image'
  | 'cell'
  | 'section'
  | 'list'
  | 'dialog';

/** A target as the instruction describes it. */
export interface TargetPhrase {
  /** As written (quotes kept out), for messages: `could not find "Sumbit"`. */
  raw: string;
  /** The words to match; empty for a generic "the text field". */
  text: string;
  role?: RoleHint;
  /** 1-based; -1 for "last". */
  ordinal?: number;
  /** Other names that would do as well (a meeting's title field: Title, Name, Subject…). */
  anyOf?: string[];
  /**
   * Words of the item the target belongs to: "Add to cart for Green Kettle" → "Green Kettle", "the
   * Delete button in the row for Marta" → "Marta". `whole` keeps the description as one name, tried
   * first (a button may well be called "Search for flights").
   */
  within?: string;
  /** The item the target belongs to by position: "the Add to cart button of the second product". */
  withinOrdinal?: number;
  whole?: string;
  /** The item an earlier clause named ("find the email by Ada and reply …"), opened first; left out without one. */
  needsScope?: true;
  /** Quoted: written as the page writes it, so a name that differs in case or punctuation is another one. */
  exact?: true;
  /** "the text area" or "the text input": which kind of field, when a page has both. */
  tag?: 'textarea' | 'input';
  /** Written with "a"/"any" ("click on a checkbox"): any element that fits will do. */
  any?: boolean;
  /** "the Like button on all posts by @ada" (true), "… on 3 posts by @ada" (3): each match, not one. */
  every?: true | number;
}

const ROLE_WORDS: [RegExp, RoleHint][] = [
  [
    /^(?:text ?fields?|text ?box(?:es)?|text ?areas?|input ?fields?|input ?box(?:es)?|inputs?|fields?|box(?:es)?|bar|textbox(?:es)?|input text ?box(?:es)?|text inputs?|search ?bar|entry field|textareas?|text widgets?)$/,
    'field',
  ],
  [/^(?:buttons?|btn|button widgets?)$/, 'button'],
  [/^links?$/, 'link'],
  [/^(?:check ?box(?:es)?|tick ?box(?:es)?|toggles?|switch(?:es)?)$/, 'checkbox'],
  [/^(?:radio ?buttons?|radios?)$/, 'radio'],
  [/^(?:drop ?-?downs?|select ?box(?:es)?|selects?|combo ?box(?:es)?|list ?box(?:es)?|pickers?)$/, 'dropdown'],
  [/^tabs?$/, 'tab'],
  [/^menu ?items?$/, 'menuitem'],
  [/^menus?$/, 'menu'],
  [/^(?:items?|entr(?:y|ies)|results?|search results?|nodes?|folders?|folders? or files?)$/, 'item'],
  [/^rows?$/, 'row'],
  [/^(?:headings?|headers?|headlines?)$/, 'heading'],
  [/^options?$/, 'option'],
  [/^(?:images?|pictures?|icons?|photos?)$/, 'image'],
  [/^cells?$/, 'cell'],
  [/^(?:sections?|panels?|accordions?)$/, 'section'],
  [/^(?:dialogs?|dialog box(?:es)?|modals?|pop-?ups?|windows?)$/, 'dialog'],
  [/^lists?$/, 'list'],
];

function roleWord(words: string): RoleHint | undefined {
  return ROLE_WORDS.find(([pattern]) => pattern.test(words))?.[1];
}

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  last: -1,
};

/** 1-based position a word names ("third", "3rd"), -1 for "last". */
export function ordinalOf(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (lower in ORDINALS) return ORDINALS[lower];
  const numeric = /^(\d+)(?:st|nd|rd|th)$/.exec(lower);
  return numeric ? Number(numeric[1]) : undefined;
}

const LEADING =
  /^(?:(?:on|onto|at|into|in|inside|to|the|a|an|any|that|this|my|your|its|their|his|her|both|all|each|every)\s+)+/i;
const ANY = /^(?:(?:on|onto|at|into|in|to)\s+)?(?:a|an|any|one of the)\s+/i;
/** Where on the page, which the planner does not use: "… in the header", "… at the top right". */
const WHERE =
  /\s+(?:in|on|at|inside|within|near)\s+(?:the\s+)?(?:page\s+)?(?:header|footer|sidebar|side bar|top|bottom|left|right|top right|top left|bottom right|bottom left|corner|nav|navigation|nav bar|navbar|navigation bar|menu bar|toolbar|tool bar|dialog(?: box)?|modal|pop-?up|form|screen|page|list|scroll list|dropdown|menu)(?:\s+(?:corner|side))?(?:\s+(?:of\s+the\s+(?:page|screen|form|dialog)|below|above))?$/i;
/** The same, inside a description: "the button in the dialog box labeled OK". */
const WHERE_INSIDE =
  /\s+(?:in|on|inside|within)\s+(?:the\s+)?(?:dialog(?: box)?|modal|pop-?up|form|page|menu)(?:\s+(?:below|above))?(?=\s+(?:labell?ed|named|called|titled|that says|saying)\b)/i;
const NAMING =
  /^(?:(?:labell?ed|named|called|titled|that says|saying|which says|with (?:the )?(?:text|label|name|title))\s+)/i;
/** "… for Green Kettle", "… in the row for Marta", "… on all posts by @alice": the item a target belongs to. */
const SCOPE =
  /\s+(?:(?:that\s+(?:is|are)\s+)?(?:in|on|of|inside|within|under)\s+(?:the\s+|all\s+(?:the\s+|of\s+the\s+)?|each\s+|every\s+|\d+\s+|two\s+|three\s+)?(?:row|item|card|line|entry|entries|post|posts|tweet|tweets|email|emails|message|messages|product|listing|result|record|comment|comments|task|order)s?(?:\s+(?:for|of|by|from|with|named|called|about))?|for|by|from|belonging\s+to|next\s+to|beside|of)\s+(?=\S)/i;
/** Words that name a kind of element, as in "click on a checkbox widget". */
const KIND_NOUN = /\s+(?:widget|element|control)s?$/i;

/** A role word at the start that names the kind of what follows: "button ONE", "link Pricing", "tab Settings". */
const LEADING_ROLES = new Set<RoleHint>(['button', 'link', 'tab', 'checkbox', 'radio', 'menuitem', 'option']);

/**
 * Reads a target description. `quoted` is the text of a quoted part, when the description had one:
 * it is the name, and the words around it only say what kind of element it is (or, after "for"/"in
 * the row for", which item it belongs to).
 */
export function describeTarget(raw: string, quoted?: string): TargetPhrase {
  const written = raw
    .replace(/\s+/g, ' ')
    .replace(/[.?!]+$/, '')
    .trim();
  const any = ANY.test(written) && !/^(?:a|an)\s+\S+$/i.test(written) ? { any: true as const } : {};
  let words = written
    .replace(WHERE_INSIDE, '')
    .replace(LEADING, '')
    .replace(WHERE, '')
    .replace(/\s+(?:below|above|here|over there)$/i, '');
  // A kind of element as the name: click on a "checkbox" widget.
  if (KIND_NOUN.test(words)) {
    const noun = (quoted ?? words.replace(KIND_NOUN, '')).toLowerCase().trim();
    const kind = roleWord(noun) ?? (noun === 'text' ? 'field' : undefined);
    const tag = /^text ?areas?$/.test(noun)
      ? { tag: 'textarea' as const }
      : noun === 'text'
        ? { tag: 'input' as const }
        : {};
    if (kind) return { raw: written, text: '', role: kind, ...tag, ...any };
  }
  const scoped = splitScope(words, quoted);
  // "the Name field of the form": the form is where, not which item.
  if (scoped && CONTAINER_WORDS.test(scoped.scope)) return describeTarget(scoped.head, quoted);
  if (scoped) {
    const head = describeTarget(scoped.head, scoped.quotedInHead ? quoted : undefined);
    const within = scoped.quotedInHead || quoted === undefined ? scoped.scope : quoted;
    const ordinal = /^(?:the\s+)?(\S+)\s+(?:\S+\s*)+$/i.exec(within);
    const withinOrdinal = ordinal ? ordinalOf(ordinal[1]) : undefined;
    const quantity = /\s(?:in|on|of|inside|within|under)\s+(?:(all|each|every)|(\d+|two|three))\s/i.exec(
      ` ${words.slice(Math.max(0, words.length - scoped.scope.length - 40))} `,
    );
    const every = quantity
      ? {
          every: quantity[1]
            ? (true as const)
            : ({ two: 2, three: 3 }[quantity[2].toLowerCase()] ?? Number(quantity[2])),
        }
      : {};
    return {
      ...head,
      ...every,
      raw: written,
      whole: quoted !== undefined ? written : words,
      ...(withinOrdinal !== undefined ? { withinOrdinal } : { within: within.replace(LEADING, '').trim() }),
      ...any,
    };
  }
  let ordinal: number | undefined;
  const first = /^(\S+)\s*/.exec(words);
  if (first && ordinalOf(first[1]) !== undefined) {
    ordinal = ordinalOf(first[1]);
    words = words.slice(first[0].length);
  }
  let whole: string | undefined;
  const numbered = /\s*(?:\s(?:number|no\.?)\s*|#\s*)(\d+)$/i.exec(words);
  if (numbered && ordinal === undefined) {
    whole = words;
    ordinal = Number(numbered[1]);
    words = words.slice(0, numbered.index);
  }
  let role: RoleHint | undefined;
  let alternative: string | undefined;
  // "the button labelled Save", "link Pricing", "button ONE"
  const leadingRole = /^(\S+(?: \S+)?)\s+(?=\S)/.exec(words);
  for (const candidate of leadingRole ? [leadingRole[1], leadingRole[1].split(' ')[0]] : []) {
    const hint = roleWord(candidate.toLowerCase());
    const rest = words.slice(candidate.length).trim();
    const named = NAMING.test(rest + ' ') || quoted !== undefined;
    if (hint && (named || (LEADING_ROLES.has(hint) && rest.split(' ').length <= 4 && !roleWord(lastWords(rest))))) {
      role = hint;
      if (!named) alternative = words;
      words = rest.replace(NAMING, '');
      break;
    }
  }
  // "the Save button", "the search box", "the text field"
  if (!role) {
    for (const size of [3, 2, 1]) {
      const parts = words.split(' ');
      if (parts.length < size) continue;
      const tail = parts.slice(-size).join(' ').toLowerCase();
      const hint = roleWord(tail);
      if (!hint) continue;
      role = hint;
      words = parts.slice(0, -size).join(' ');
      break;
    }
  }
  words = words.replace(NAMING, '').replace(LEADING, '').trim();
  const text = quoted ?? words;
  const tag = /\btext ?areas?\b/i.test(written)
    ? ('textarea' as const)
    : /\b(?:text ?box(?:es)?|text ?fields?|text inputs?|input (?:text ?)?(?:box|field)e?s?|text widgets?)\b/i.test(
          written,
        )
      ? ('input' as const)
      : undefined;
  // "click the x": the close button, whatever its text says.
  if (/^(?:x|×|✕|✖)$/i.test(text.trim())) alternative = 'close';
  return {
    raw: quoted ?? written,
    text,
    ...(role ? { role } : {}),
    ...(ordinal !== undefined ? { ordinal } : {}),
    ...(alternative ? { anyOf: [alternative] } : {}),
    ...(whole ? { whole } : {}),
    ...(tag && role === 'field' ? { tag } : {}),
    ...(quoted !== undefined ? { exact: true as const } : {}),
    ...any,
  };
}

const CONTAINER_WORDS =
  /^(?:the\s+|this\s+)?(?:(?:contact|login|sign-?in|search|signup|registration)\s+)?(?:form|page|table|list|screen|site|website|dialog(?: box)?|modal|window|app)(?:\s+(?:below|above))?$/i;

/** Kinds that are also common names of fields and buttons when written alone ("Email", "Message"). */
export const NOUN_ROLES = new Set<RoleHint>([
  'item',
  'row',
  'cell',
  'heading',
  'image',
  'section',
  'list',
  'dialog',
  'option',
]);

const lastWords = (text: string) => text.split(' ').slice(-2).join(' ').toLowerCase();

/** "X for Y" → head X, scope Y, when X names something (a button, a price) and Y an item. */
function splitScope(
  words: string,
  quoted?: string,
): { head: string; scope: string; quotedInHead: boolean } | undefined {
  const m = SCOPE.exec(words);
  if (!m || m.index === 0) return undefined;
  const head = words.slice(0, m.index).trim();
  const scope = words.slice(m.index + m[0].length).trim();
  if (!head || !scope || NAMING.test(`${scope} `)) return undefined;
  // "the folder named X", "file or folder": no scope words there.
  if (/^(?:the\s+)?(?:folder|file|item|element|thing)s?(?:\s+or\s+\w+)?$/i.test(scope)) return undefined;
  const quotedInHead = quoted === undefined || head.includes(quoted) || !scope.includes(quoted);
  return { head, scope, quotedInHead };
}
