// The other small vocabularies of instructions: key names as people write them ("Enter", "Ctrl+A",
// "the down arrow") and what looks like an address rather than something on the page.

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
