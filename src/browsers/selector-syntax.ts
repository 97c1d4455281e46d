// Tells whether a selector parses, without a browser, with Playwright's own selector parser (the
// one locator() runs): CSS with Playwright's pseudo-classes, the engines (text=, role=, xpath=,
// internal:…) and `>>` chains. A request or a manifest with a selector that cannot parse is the
// caller's mistake, told at once (400) instead of when its step is reached. What only the page can
// tell (a pseudo-class Chromium does not know, an engine that does not exist) is told at run time.
import { createRequire } from 'node:module';

interface PlaywrightParsers {
  parseSelector(selector: string): unknown;
  parseCSS(selector: string, customNames: Set<string>): unknown;
  customCSSNames: Set<string>;
}

/**
 * The parsers live in playwright-core's isomorphic bundle, which its package exports
 * (`playwright-core/lib/coreBundle`, loaded by playwright-core itself). Not a documented API:
 * test/browsers/selector-syntax.test.ts fails if an upgrade moves them, rather than navis quietly
 * accepting every selector.
 */
const parsers = (
  createRequire(import.meta.url)('playwright-core/lib/coreBundle') as { iso?: Partial<PlaywrightParsers> }
).iso;

/** `{{name}}` templates (site inputs, variables) stand for a value filled in later: checked as a plain word. */
const TEMPLATE = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g;

/** Why `selector` (a locator selector: CSS, an engine, a `>>` chain) cannot parse; undefined when it parses. */
export function selectorSyntaxError(selector: string): string | undefined {
  if (typeof parsers?.parseSelector !== 'function') return undefined;
  return reasonOf(selector, () => parsers.parseSelector!(selector.replace(TEMPLATE, 'navis')));
}

/**
 * Why `selector` cannot parse as CSS, for selectors the page runs with querySelector (a site view's
 * fields): no engines, no `>>`. Playwright's pseudo-classes are CSS to this parser, not to the page.
 */
export function cssSyntaxError(selector: string): string | undefined {
  if (typeof parsers?.parseCSS !== 'function') return undefined;
  return reasonOf(selector, () => parsers.parseCSS!(selector.replace(TEMPLATE, 'navis'), new Set()));
}

function reasonOf(selector: string, parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return `'${selector.slice(0, 200)}' is not a valid selector (${why}). Check its syntax: CSS, or an engine such as text=…, role=…, xpath=….`;
  }
}
