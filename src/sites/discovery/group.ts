// Pages become states: a URL pattern (numeric, uuid and hash-like segments, and slug segments of
// pages linked from one list, become {{id}} templates; id-like query values become {{param}}), and
// within one pattern, pages of similar structure (their fields, buttons, forms, lists) are one state.
import type { CrawledPage, PageGroup, UrlTemplate } from './types.js';

const ID_SEGMENT = [
  /^\d+$/,
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^(?=.*\d)[0-9a-f]{12,}$/i,
  /^(?=.*\d)(?=.*[a-z])[a-z0-9_-]{20,}$/i,
];
const SLUG_SEGMENT = /^[a-z0-9]+(?:[-_][a-z0-9]+)+$/i;
const SIMILAR = 0.5;

const isId = (value: string) => ID_SEGMENT.some((re) => re.test(value));

/** A path segment as stem and extension: `1.html` → ['1', '.html']. */
function splitExt(segment: string): [string, string] {
  const m = /^(.+?)(\.[a-z0-9]{1,5})$/i.exec(segment);
  return m ? [m[1], m[2]] : [segment, ''];
}

interface ParsedUrl {
  segments: string[];
  query: Array<[string, string]>;
}

function parse(url: string): ParsedUrl {
  const u = new URL(url);
  const segments = u.pathname.split('/').slice(1); // as the URL spells them: percent-encoded
  const query = [...u.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  return { segments, query };
}

/** The URL with only its id-like parts templated: pages loaded per pattern are counted by it. */
export function provisionalKey(url: string): string {
  return templateOf(parse(url), new Set()).template.url;
}

/** A template name for a query parameter, as an Identifier. */
const paramVar = (name: string) =>
  (/^[A-Za-z]/.test(name) ? name : `p_${name}`).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60);

function templateOf(
  parsed: ParsedUrl,
  slugPositions: Set<number>,
): { template: UrlTemplate; values: Record<string, string> } {
  const values: Record<string, string> = {};
  const names: string[] = [];
  const claim = (base: string) => {
    let name = base;
    for (let n = 2; names.includes(name); n++) name = `${base}${n}`;
    names.push(name);
    return name;
  };
  const path: string[] = [];
  const pattern: string[] = [];
  parsed.segments.forEach((segment, i) => {
    const [stem, ext] = splitExt(segment);
    if (isId(stem) || slugPositions.has(i)) {
      const name = claim('id');
      values[name] = stem;
      path.push(`{{${name}}}${ext}`);
      pattern.push(`[^/?#]+${escapeRegex(ext)}`);
    } else {
      path.push(segment);
      pattern.push(escapeRegex(segment));
    }
  });
  const query: string[] = [];
  const queryPattern: string[] = [];
  for (const [key, value] of parsed.query) {
    const k = encodeURIComponent(key);
    if (isId(value)) {
      const name = claim(paramVar(key));
      values[name] = value;
      query.push(`${k}={{${name}}}`);
      queryPattern.push(`${escapeRegex(k)}=[^&#]+`);
    } else {
      query.push(`${k}=${encodeURIComponent(value)}`);
      queryPattern.push(escapeRegex(`${k}=${encodeURIComponent(value)}`));
    }
  }
  const url = `/${path.join('/')}${query.length ? `?${query.join('&')}` : ''}`;
  const source = `^/${pattern.join('/')}${queryPattern.length ? `\\?${queryPattern.join('&')}` : ''}$`;
  return { template: { url, variables: names, pattern: source }, values };
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Slug positions to template: where pages linked from a list differ in one slug-like segment only
 * (`/blog/first-post`, `/blog/second-post`). Pages not linked from a list keep their slugs, so
 * `/about-us` and `/contact-us` stay two states.
 */
function slugFolds(pages: CrawledPage[]): Map<string, Set<number>> {
  const listed = new Set(pages.flatMap((p) => p.facts.lists.flatMap((l) => l.links)));
  const buckets = new Map<string, Set<string>>();
  const keyAt = (parsed: ParsedUrl, p: number) =>
    `${p}|${parsed.segments.map((s, i) => (i === p ? '*' : isId(splitExt(s)[0]) ? '{{}}' : s)).join('/')}|${splitExt(parsed.segments[p])[1]}`;
  for (const page of pages) {
    if (!listed.has(page.url)) continue;
    const parsed = parse(page.url);
    parsed.segments.forEach((segment, p) => {
      if (p === 0 || !SLUG_SEGMENT.test(splitExt(segment)[0])) return;
      const key = keyAt(parsed, p);
      buckets.set(key, (buckets.get(key) ?? new Set()).add(segment));
    });
  }
  const out = new Map<string, Set<number>>();
  for (const page of pages) {
    const parsed = parse(page.url);
    const positions = new Set<number>();
    parsed.segments.forEach((segment, p) => {
      if (p > 0 && SLUG_SEGMENT.test(splitExt(segment)[0]) && (buckets.get(keyAt(parsed, p))?.size ?? 0) >= 2)
        positions.add(p);
    });
    out.set(page.url, positions);
  }
  return out;
}

/** What a page is made of, without its content: fields, buttons, forms, lists, heading levels. */
export function structureOf(page: CrawledPage): Set<string> {
  const tokens = new Set<string>();
  for (const e of page.snapshot.elements) {
    const control = page.facts.controls[e.css];
    if (control && !control.isSubmit && e.role !== 'button')
      tokens.add(`field:${control.nameAttr ?? e.label ?? e.name}`);
    if (e.role === 'button') tokens.add(`button:${e.name.toLowerCase()}`);
    if (e.role === 'heading') tokens.add(`heading:${e.tag}`);
  }
  for (const form of page.facts.forms) tokens.add(`form:${form.id ?? new URL(form.action).pathname}`);
  for (const list of page.facts.lists) tokens.add(`list:${list.itemSelector}`);
  if (page.facts.record) tokens.add('record');
  return tokens;
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The states of the crawl, in crawl order: same URL template and similar structure. */
export function groupPages(pages: CrawledPage[]): PageGroup[] {
  const folds = slugFolds(pages);
  const groups: Array<PageGroup & { structure: Set<string> }> = [];
  for (const page of pages) {
    const { template, values } = templateOf(parse(page.url), folds.get(page.url) ?? new Set());
    const structure = structureOf(page);
    const group = groups.find((g) => g.template.url === template.url && similarity(g.structure, structure) >= SIMILAR);
    if (group) group.pages.push({ page, values });
    else groups.push({ template, pages: [{ page, values }], structure });
  }
  return groups.map(({ template, pages: members }) => ({ template, pages: members }));
}
