// Selector syntax without a browser (src/browsers/selector-syntax.ts): Playwright's own parser,
// so what locator() takes is accepted and what it cannot parse is refused with the selector named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cssSyntaxError, selectorSyntaxError } from '../../src/browsers/selector-syntax.js';

test('CSS, Playwright pseudo-classes, engines and >> chains parse', () => {
  const selectors = [
    '#name',
    'input[name*="user" i]:not([type="hidden"])',
    'button:has-text("Save")',
    'li:visible >> nth=0',
    'text=Sign in',
    'text="Sign in"',
    'role=button[name="Save"]',
    'xpath=//button[@type="submit"]',
    '//form//input',
    'internal:role=button[name="Save"i]',
    '#login >> internal:control=enter-frame >> input',
    'data-testid=submit',
    '[name="{{query}}"]',
    '#{{id}}',
  ];
  for (const selector of selectors) assert.equal(selectorSyntaxError(selector), undefined, selector);
});

test('a selector that does not parse is refused, naming it', () => {
  for (const selector of ['#a[', '[data-x="1"', '.a..b', 'a::before', 'a:has(b', 'a,,b', 'css=#a[', 'div >> ']) {
    const why = selectorSyntaxError(selector);
    assert.ok(why, `${selector} should not parse`);
    assert.ok(why.startsWith(`'${selector}' is not a valid selector`), why);
  }
});

test('view fields are plain CSS: an engine is refused there', () => {
  assert.equal(cssSyntaxError('a.price'), undefined);
  assert.equal(cssSyntaxError(':scope > a'), undefined);
  assert.ok(cssSyntaxError('text=Price'));
  assert.ok(cssSyntaxError('span[class='));
});
