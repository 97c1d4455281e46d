// The small vocabularies of instructions: how a target is described ("the first item", "the
// 'Save' button", "the search box"), key names ("Enter", "Ctrl+A") and what looks like a URL.

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
  | 'list';

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
}

const ROLE_WORDS: [RegExp, RoleHint][] = [
  [
    /^(?:text ?fields?|text ?box(?:es)?|text ?areas?|input ?fields?|input ?box(?:es)?|inputs?|fields?|box(?:es)?|bar|textbox|search ?bar|entry field)$/,
    'field',
  ],
  [/^(?:buttons?|btn)$/, 'button'],
  [/^links?$/, 'link'],
  [/^(?:check ?box(?:es)?|tick ?box(?:es)?|toggles?|switch(?:es)?)$/, 'checkbox'],
  [/^(?:radio ?buttons?|radios?)$/, 'radio'],
  [/^(?:drop ?-?downs?|select ?box(?:es)?|selects?|combo ?box(?:es)?|list ?box(?:es)?|pickers?)$/, 'dropdown'],
  [/^tabs?$/, 'tab'],
  [/^menu ?items?$/, 'menuitem'],
  [/^menus?$/, 'menu'],
  [/^(?:items?|entr(?:y|ies)|results?|elements?|nodes?|folders?)$/, 'item'],
  [/^rows?$/, 'row'],
  [/^(?:headings?|headers?|headlines?)$/, 'heading'],
  [/^options?$/, 'option'],
  [/^(?:images?|pictures?|icons?|photos?)$/, 'image'],
  [/^cells?$/, 'cell'],
  [/^(?:sections?|panels?|accordions?)$/, 'section'],
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

function ordinalOf(word: string): number | undefined {
  const lower = word.toLowerCase();
  if (lower in ORDINALS) return ORDINALS[lower];
  const numeric = /^(\d+)(?:st|nd|rd|th)$/.exec(lower);
  return numeric ? Number(numeric[1]) : undefined;
}

const LEADING = /^(?:(?:on|onto|at|into|in|inside|to|the|a|an|that|this|my|your|its)\s+)+/i;
/** Where on the page, which the planner does not use: "… in the header", "… at the top right". */
const WHERE =
  /\s+(?:in|on|at|inside|within|near)\s+(?:the\s+)?(?:page\s+)?(?:header|footer|sidebar|side bar|top|bottom|left|right|top right|top left|bottom right|bottom left|corner|nav|navigation|nav bar|navbar|navigation bar|menu bar|toolbar|tool bar|dialog|modal|pop-?up|form|screen|page)(?:\s+(?:corner|side))?(?:\s+of\s+the\s+(?:page|screen|form|dialog))?$/i;
const NAMING =
  /^(?:(?:labell?ed|named|called|titled|that says|saying|which says|with (?:the )?(?:text|label|name|title))\s+)/i;

/**
 * Reads a target description. `quoted` is the text of a quoted part, when the description had one:
 * it is the name, and the words around it only say what kind of element it is.
 */
export function describeTarget(raw: string, quoted?: string): TargetPhrase {
  const written = raw
    .replace(/\s+/g, ' ')
    .replace(/[.?!]+$/, '')
    .trim();
  let words = written.replace(LEADING, '').replace(WHERE, '');
  let ordinal: number | undefined;
  const first = /^(\S+)\s*/.exec(words);
  if (first && ordinalOf(first[1]) !== undefined) {
    ordinal = ordinalOf(first[1]);
    words = words.slice(first[0].length);
  }
  const numbered = /\s+(?:number|no\.?|#)\s*(\d+)$/i.exec(words);
  if (numbered) {
    ordinal = Number(numbered[1]);
    words = words.slice(0, numbered.index);
  }
  let role: RoleHint | undefined;
  // "the button labelled Save", "link Pricing"
  const leadingRole = /^(\S+(?: \S+)?)\s+(?=\S)/.exec(words);
  for (const candidate of leadingRole ? [leadingRole[1], leadingRole[1].split(' ')[0]] : []) {
    const hint = roleWord(candidate.toLowerCase());
    const rest = words.slice(candidate.length).trim();
    if (hint && (NAMING.test(rest + ' ') || quoted !== undefined)) {
      role = hint;
      words = rest.replace(NAMING, '');
      break;
    }
  }
  // "the Save button", "the search box", "the text field"
  if (!role) {
    for (const size of [2, 1]) {
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
  return { raw: quoted ?? written, text, ...(role ? { role } : {}), ...(ordinal !== undefined ? { ordinal } : {}) };
}

const KEY_NAMES: Record<string, string> = {
  enter: 'Enter',
  return: 'Enter',
  tab: 'Tab',
  escape: 'Escape',
  esc: 'Escape',
  space: 'Space',
  spacebar: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  del: 'Delete',
  insert: 'Insert',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  'page up': 'PageUp',
  pagedown: 'PageDown',
  'page down': 'PageDown',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  arrowup: 'ArrowUp',
  arrowdown: 'ArrowDown',
  arrowleft: 'ArrowLeft',
  arrowright: 'ArrowRight',
  'arrow up': 'ArrowUp',
  'arrow down': 'ArrowDown',
  'arrow left': 'ArrowLeft',
  'arrow right': 'ArrowRight',
  'up arrow': 'ArrowUp',
  'down arrow': 'ArrowDown',
  'left arrow': 'ArrowLeft',
  'right arrow': 'ArrowRight',
};
const MODIFIERS: Record<string, string> = {
  ctrl: 'Control',
  control: 'Control',
  shift: 'Shift',
  alt: 'Alt',
  option: 'Alt',
  cmd: 'Meta',
  command: 'Meta',
  meta: 'Meta',
  win: 'Meta',
};

/** Playwright's name for a key as people write it ("enter", "Ctrl+A", "the down arrow"), if it is one. */
export function keyName(written: string): string | undefined {
  const words = written
    .trim()
    .replace(/^the\s+/i, '')
    .replace(/\s+key$/i, '')
    .trim();
  const parts = words.split(/\s*\+\s*|\s*-\s*(?=\S)/);
  if (parts.length > 1) {
    const mods = parts.slice(0, -1).map((part) => MODIFIERS[part.toLowerCase()]);
    const last = parts[parts.length - 1];
    const key = /^[a-z0-9]$/i.test(last) ? last.toUpperCase() : namedKey(last);
    return mods.every(Boolean) && key ? [...mods, key].join('+') : undefined;
  }
  if (/^[a-z0-9]$/i.test(words) && /\s+key$/i.test(written.trim())) return words;
  return namedKey(words);
}

function namedKey(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (lower in KEY_NAMES) return KEY_NAMES[lower];
  return /^f([1-9]|1[0-2])$/.test(lower) ? lower.toUpperCase() : undefined;
}

const HOST = String.raw`(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]|(?:[a-z0-9-]+\.)+[a-z]{2,24})`;
const HOST_URL = new RegExp(String.raw`^${HOST}(?::\d+)?(?:[/?#]\S*)?$`, 'i');

/** Whether words name an address rather than something on the page: a scheme, a path, a host. */
export function isUrlLike(text: string): boolean {
  const written = text.trim();
  if (/^(?:https?|file|about|data|chrome):/i.test(written) || written.startsWith('/')) return true;
  return /^[^\s/]+\.(?:html?|php|aspx?|jsp)(?:[?#]\S*)?$/i.test(written) || HOST_URL.test(written);
}

/**
 * The address to open: as given with a scheme; a path against the current page; otherwise
 * http:// for localhost and IP addresses (local test servers rarely speak TLS), https:// for names.
 */
export function toUrl(text: string, currentUrl: string): string {
  const written = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written) || /^(?:about|data):/i.test(written)) return written;
  if (written.startsWith('/') || /^[^/]+\.(?:html?|php|aspx?|jsp)(?:[?#]\S*)?$/i.test(written)) {
    try {
      return new URL(written, currentUrl).href;
    } catch {
      return written;
    }
  }
  const host = written.split(/[/:?#]/)[0].toLowerCase();
  const local =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) ||
    written.startsWith('[');
  return `${local ? 'http' : 'https'}://${written}`;
}
