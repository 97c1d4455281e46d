// Text similarity for the rule planner: how well the words of an instruction ("the search box",
// "Sumbit") fit what the page shows (a name, a label, a placeholder). Case and whitespace never
// matter; then whole words, token overlap with a light stemmer, then a small edit distance.

const STOPWORDS = new Set([
  'the',
  'a',
  'an',
  'of',
  'to',
  'for',
  'on',
  'in',
  'at',
  'with',
  'and',
  'my',
  'your',
  'this',
  'that',
  'its',
  'is',
]);

/** Lower case, accents and punctuation gone, single spaces: "E-mail *:" → "e mail". */
export function normalize(text: string | undefined): string {
  return (text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Enough of an English stemmer to make "items" meet "item" and "todos" meet "todo". */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('sses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

/** Content words of a text, stemmed. */
export function tokens(text: string | undefined): string[] {
  return normalize(text)
    .split(' ')
    .filter((word) => word && !STOPWORDS.has(word))
    .map(stem);
}

/** Levenshtein distance (a transposition counts two: "Sumbit" is not "Submit"). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Typos forgiven for a word or phrase of this length: none under 5 letters, one per 6 after. */
export function allowedTypos(length: number): number {
  return length < 5 ? 0 : Math.max(1, Math.floor(length / 6));
}

/** Whether two words are the same but for a few typos (the length check spares most distance computations). */
function withinTypos(a: string, b: string): boolean {
  const allowed = allowedTypos(Math.min(a.length, b.length));
  return Math.abs(a.length - b.length) <= allowed && editDistance(a, b) <= allowed;
}

function sameToken(a: string, b: string): boolean {
  return a === b || withinTypos(a, b);
}

const containsWords = (haystack: string, needle: string) => ` ${haystack} `.includes(` ${needle} `);

/**
 * How well `query` describes `candidate`, 0..1: 1 for the same words; 0.75–0.9 when the candidate
 * contains them; 0.6–0.8 when it has every query word (stemmed, typos forgiven) in another order;
 * about 0.55 for a typo; below 0.55 when query words are missing ("Delete workspace" is not
 * "Workspace"), which is too little to act on but enough to pick a list by its heading.
 */
export function similarity(query: string | undefined, candidate: string | undefined): number {
  const q = normalize(query);
  const c = normalize(candidate);
  // Symbols only ("♥♥♥", "→"): the same symbols or nothing.
  if (!q || !c) return query?.trim() && query.trim() === candidate?.trim() ? 1 : 0;
  if (q === c || q.replace(/ /g, '') === c.replace(/ /g, '')) return 1;
  let best = 0;
  if (containsWords(c, q)) best = 0.75 + 0.15 * (q.length / c.length);
  else if (c.length >= 3 && containsWords(q, c)) best = 0.45 + 0.05 * (c.length / q.length);
  const qt = tokens(q);
  const ct = tokens(c);
  if (qt.length && ct.length) {
    const recall = qt.filter((t) => ct.some((u) => sameToken(t, u))).length / qt.length;
    const precision = ct.filter((u) => qt.some((t) => sameToken(t, u))).length / ct.length;
    if (recall === 1) best = Math.max(best, 0.6 + 0.2 * precision);
    else if (recall >= 0.5 && precision > 0)
      best = Math.max(best, 0.3 + 0.2 * ((2 * recall * precision) / (recall + precision)));
  }
  if (best < 0.6 && withinTypos(q, c)) best = Math.max(best, 0.6 - 0.05 * editDistance(q, c));
  return Math.min(best, 0.99);
}

/** Words of a CSS path or test id worth comparing ("#panel-reports > button" → "panel reports"). */
export function cssWords(css: string | undefined): string {
  return (css ?? '')
    .replace(/:nth-of-type\(\d+\)/g, ' ')
    .replace(
      /(^|[\s>])(html|body|main|div|span|section|ul|ol|li|button|a|p|form|nav|details|summary|input|label|header|footer|aside)(?=$|[\s>#.:[])/g,
      ' ',
    )
    .replace(/[-_#.>:[\]()="']+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Title *:" → "Title": how a name reads in a result sentence. */
export function cleanName(text: string): string {
  return text.replace(/[\s:*]+$/, '').trim();
}

/** Whether the words are all in a text (an item's text holds "Green Kettle", "@alice"). */
export function holds(text: string | undefined, words: string): boolean {
  // "@ada", "#42": the handle or number as written, not the word "ada" somewhere in a post.
  const handle = /^[@#]\S+$/.exec(words.trim());
  if (handle) {
    const at = ` ${(text ?? '').toLowerCase()} `.search(
      new RegExp(`[^\\w]${escapeRegExp(handle[0].toLowerCase())}(?![\\w])`),
    );
    return at >= 0;
  }
  return similarity(words, text) >= 0.6;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
