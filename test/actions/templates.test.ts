// The one template module (src/actions/templates.ts): values reach an evaluate script as data,
// selectors escaped for where a template stands (checked against a real page in Chromium), URLs
// percent-encoded, and the step cache turning values back into {{name}} only where they are whole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fillScript } from '../../src/actions/template-script.js';
import { fillSelector } from '../../src/actions/template-selector.js';
import {
  fillStep,
  fillSteps,
  fillText,
  fillUrl,
  stepTemplateNames,
  templatizeUrl,
  templatizeValue,
} from '../../src/actions/templates.js';
import type { NavisError } from '../../src/errors.js';

/** Inputs that break a naive splice: quotes, a closing script tag, backslashes, line breaks, `${}`, backticks, U+2028. */
const NASTY = [
  'a"b\'c</script>',
  'back\\slash\\',
  'line\nbreak\r\nend',
  '${globalThis.pwned = 1}',
  '`tick` and ``',
  'sep\u2028x\u2029y',
  "'); globalThis.pwned = 1; ('",
  '"); globalThis.pwned = 1; ("',
  '`); globalThis.pwned = 1; (`',
  '*/ globalThis.pwned = 1; /*',
  '😀 é ñ',
  '',
];

/** Runs a filled script as the evaluate step does (a function body). */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the filled script is what is tested
const run = (script: string): unknown => new Function(script)();

describe('an evaluate script takes values as data, never as code', () => {
  const shapes = [
    "return '{{v}}'",
    'return "{{v}}"',
    'return `{{v}}`',
    'return {{v}}',
    'return String({{v}})',
    "const s = 'pre {{v}} post'; return s.slice(4, -5)",
  ];

  for (const shape of shapes) {
    test(`every nasty input round-trips through ${shape}`, () => {
      for (const value of NASTY) {
        delete (globalThis as { pwned?: number }).pwned;
        const filled = fillScript(shape, () => value);
        assert.equal(run(filled), value, `${JSON.stringify(value)} → ${filled}`);
        assert.equal(
          (globalThis as { pwned?: number }).pwned,
          undefined,
          `${JSON.stringify(value)} ran as code: ${filled}`,
        );
      }
    });
  }

  test('inside a template literal, a substitution or a nested literal, the value is still exact', () => {
    for (const value of NASTY) {
      assert.equal(run(fillScript('return `<${"{{v}}"}>` + `${`[{{v}}]`}`', () => value)), `<${value}>[${value}]`);
    }
  });

  test('a bare template is a JSON literal: numbers and booleans keep their type', () => {
    assert.equal(
      fillScript('return {{n}} + 1', () => 41),
      'return 41 + 1',
    );
    assert.equal(run(fillScript('return {{n}} - {{m}}', (name) => (name === 'n' ? 1 : -2))), 3);
    assert.equal(run(fillScript('return {{b}} === true', () => true)), true);
    // discovery writes checkboxes this way: a boolean input inside a quoted string is its text
    assert.equal(run(fillScript("return ('{{b}}' === 'true')", () => true)), true);
  });

  test('inside a regular expression literal the value matches literally', () => {
    const value = 'a.b*(c)/d[e]';
    assert.equal(
      run(fillScript('return /^{{v}}$/.test("a.b*(c)/d[e]") && !/^{{v}}$/.test("aXbbb(c)/d[e]")', () => value)),
      true,
    );
    assert.equal(run(fillScript('return /{{v}}/.source', () => '')), '(?:)');
    assert.equal(
      String(run(fillScript('const half = 4 / 2; return [half, "{{v}}"]', () => '/ 2; globalThis.pwned = 1; //'))),
      '2,/ 2; globalThis.pwned = 1; //',
    );
  });

  test('a template in a comment stays as written', () => {
    assert.equal(
      fillScript('// uses {{v}}\nreturn 1 /* {{v}} */', () => 'x'),
      '// uses {{v}}\nreturn 1 /* {{v}} */',
    );
  });

  test('no character of the value but letters and digits reaches a string literal unescaped', () => {
    const filled = fillScript("return '{{v}}'", () => 'a b\'"`${}\\\n\u2028<>');
    assert.match(filled, /^return 'a(\\u[0-9a-f]{4})+b(\\u[0-9a-f]{4})+'$/);
  });
});

describe('a selector takes values escaped for where they stand', () => {
  let browser: Browser;
  let page: Page;
  const EVIL = 'x"], #secret, [name="y';

  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    page = await browser.newPage();
    await page.setContent(`<!doctype html>
      <button id="secret">Secret</button>
      <input name='x"], #secret, [name="y' id="evil">
      <input name="a'b\\c" id="quotes">
      <div id="42 b" class="item 7">forty-two</div>
      <ul><li>one</li><li>two</li><li>three</li></ul>
      <p id="says">Say "hi" &gt;&gt; bye</p>`);
  });
  after(async () => {
    await browser?.close();
  });

  const ids = (selector: string) =>
    page.locator(selector).evaluateAll((els) => els.map((el) => el.id || el.textContent));

  test('inside a CSS attribute string the value cannot close it: it matches only the element holding it', async () => {
    assert.equal(
      fillSelector('[name="{{x}}"]', () => EVIL),
      '[name="x\\"], #secret, [name=\\"y"]',
    );
    assert.deepEqual(await ids(fillSelector('[name="{{x}}"]', () => EVIL)), ['evil']);
    assert.deepEqual(await ids(fillSelector("[name='{{x}}']", () => "a'b\\c")), ['quotes']);
    assert.deepEqual(await ids(fillSelector('input[name="{{x}}"]', () => 'nothing"], #secret, [x="')), []);
  });

  test('a bare template is one CSS identifier', async () => {
    assert.equal(
      fillSelector('#{{id}}', () => '42 b'),
      '#\\34 2\\ b',
    );
    assert.deepEqual(await ids(fillSelector('#{{id}}', () => '42 b')), ['42 b']);
    assert.deepEqual(await ids(fillSelector('.{{c}}', () => '7')), ['42 b']);
    assert.deepEqual(await ids(fillSelector('#{{id}}', () => 'x, #secret')), []);
  });

  test('quoted text and :has-text() take the value as text, `>>` and quotes included', async () => {
    assert.deepEqual(await ids(fillSelector('text="{{t}}"', () => 'Say "hi" >> bye')), ['says']);
    assert.deepEqual(await ids(fillSelector('p:has-text("{{t}}")', () => '"hi" >> bye')), ['says']);
    assert.deepEqual(await ids(fillSelector('p:has-text("{{t}}") >> nth=0', () => '"hi" >> bye')), ['says']);
  });

  test('unquoted text= keeps its case-insensitive substring match, whatever the value holds', async () => {
    assert.equal(
      fillSelector('text=say {{t}}', () => '"HI" >> css=#secret'),
      'internal:text="say \\"HI\\" >> css=#secret"i',
    );
    assert.deepEqual(await ids(fillSelector('text=say {{t}}', () => '"HI" >> B')), ['says']);
    assert.deepEqual(await ids(fillSelector('text={{t}}', () => 'secret >> css=#secret')), []);
  });

  test('inside :nth-child() the value must be an index', async () => {
    assert.deepEqual(await ids(fillSelector('li:nth-child({{n}})', () => '2')), ['two']);
    assert.throws(() => fillSelector('li:nth-child({{n}})', () => '1), #secret, li:nth-child(1'), /must be an index/);
  });

  test('other engines refuse a value that could change their structure, and take one that cannot', () => {
    assert.equal(
      fillSelector('xpath=//input[@id="{{id}}"]', () => 'evil'),
      'xpath=//input[@id="evil"]',
    );
    assert.throws(
      () => fillSelector('xpath=//input[@id="{{id}}"]', () => '"] | //button[@id="secret'),
      (error: NavisError) => {
        assert.equal(error.code, 'INVALID_REQUEST');
        assert.ok(!error.message.includes('secret'), 'the value is never quoted back: it may be a password');
        return /cannot be placed safely in this xpath= selector/.test(error.message);
      },
    );
    assert.throws(() => fillSelector('id={{id}}', () => 'a >> css=b'), /outside quotes/);
  });

  test('a step names the field it could not fill', () => {
    assert.throws(
      () =>
        fillSteps(
          [
            { type: 'wait', text: 'ok' },
            { type: 'click', selector: 'id={{id}}' },
          ],
          { id: '>>' },
        ),
      /^NavisError: steps\[1\]\.selector: The value of \{\{id\}\}/,
    );
  });
});

describe('each field of a step is filled as its kind needs', () => {
  test('navigate url, evaluate script, selectors and plain text', () => {
    const values = { q: 'a b&c', v: 'it\'s "x"', name: 'Jo "J"' };
    assert.deepEqual(fillStep({ type: 'navigate', url: '/search?q={{q}}' }, values), {
      type: 'navigate',
      url: '/search?q=a%20b%26c',
    });
    assert.deepEqual(fillStep({ type: 'evaluate', script: "return '{{v}}'" }, values), {
      type: 'evaluate',
      script: `return '${'it\\u0027s\\u0020\\u0022x\\u0022'}'`,
    });
    assert.deepEqual(fillStep({ type: 'type', selector: '[name="{{name}}"]', text: '{{v}}' }, values), {
      type: 'type',
      selector: '[name="Jo \\"J\\""]',
      text: 'it\'s "x"',
    });
    assert.deepEqual(fillStep({ type: 'wait', text: 'Hello {{name}}' }, values), {
      type: 'wait',
      text: 'Hello Jo "J"',
    });
    const auth = fillStep(
      {
        type: 'authenticate',
        mode: 'vault',
        credentialId: 'c',
        selectors: { username: '[name="{{name}}"]' },
        success: { condition: 'selector', value: '[title="{{name}}"]' },
      },
      values,
    );
    assert.deepEqual(auth, {
      type: 'authenticate',
      mode: 'vault',
      credentialId: 'c',
      selectors: { username: '[name="Jo \\"J\\""]' },
      success: { condition: 'selector', value: '[title="Jo \\"J\\""]' },
    });
  });

  test('a name without a value is empty (an optional input left out); stepTemplateNames finds every name once', () => {
    assert.equal(fillText('a{{x}}b', {}), 'ab');
    assert.equal(
      fillScript('return {{x}}', () => ''),
      'return ""',
    );
    assert.deepEqual(stepTemplateNames([{ type: 'type', selector: '#{{a}}', text: '{{b}} {{ a }}' }]), ['a', 'b']);
  });
});

describe('URLs', () => {
  test('a template starting the URL is the value as written; in the host, a host name; elsewhere percent-encoded', () => {
    assert.equal(fillUrl('{{url}}', { url: 'https://example.com/a?b=c' }), 'https://example.com/a?b=c');
    assert.equal(fillUrl('{{base}}/items/{{id}}', { base: 'http://x.test', id: 7 }), 'http://x.test/items/7');
    assert.equal(
      fillUrl('https://{{host}}/p/{{id}}?q={{q}}#{{f}}', { host: 'localhost:3000', id: 'a/b', q: 'r&s=t', f: 'x y' }),
      'https://localhost:3000/p/a%2Fb?q=r%26s%3Dt#x%20y',
    );
    assert.equal(fillUrl('https://{{host}}/', { host: 'evil.test/x?' }), 'https://evil.test%2Fx%3F/');
  });
});

describe('the step cache turns values back into {{name}} only where they are whole', () => {
  const n = { n: '1' };

  test('a variable "1" does not rewrite page1 or ?p=10, but is a whole path segment or query value', () => {
    assert.equal(templatizeUrl('http://127.0.0.1:8080/page1', n), 'http://127.0.0.1:8080/page1');
    assert.equal(templatizeUrl('http://127.0.0.1:8080/list?p=10', n), 'http://127.0.0.1:8080/list?p=10');
    assert.equal(templatizeUrl('http://127.0.0.1:8080/items/1', n), 'http://127.0.0.1:8080/items/{{n}}');
    assert.equal(
      templatizeUrl('http://127.0.0.1:8080/items?id=1&page=10', n),
      'http://127.0.0.1:8080/items?id={{n}}&page=10',
    );
    assert.equal(templatizeValue('page1', n), 'page1');
    assert.equal(templatizeValue('1', n), '{{n}}');
  });

  test('whole matches take the longest value first', () => {
    const vars = { word: 'sync', title: 'Internal sync' };
    assert.equal(templatizeValue('Internal sync', vars), '{{title}}');
    assert.equal(templatizeValue('sync', vars), '{{word}}');
    assert.equal(templatizeValue('Internal sync meeting', vars), 'Internal sync meeting');
  });

  test('a whole URL, an encoded component or a host name becomes a template when filling it again gives the same URL', () => {
    assert.equal(templatizeUrl('https://example.com/a', { url: 'https://example.com/a' }), '{{url}}');
    assert.equal(templatizeUrl('http://x.test/s?q=red%20shoes', { q: 'red shoes' }), 'http://x.test/s?q={{q}}');
    assert.equal(templatizeUrl('http://x.test/p/a%2Fb', { path: 'a/b' }), 'http://x.test/p/{{path}}');
    assert.equal(templatizeUrl('https://shop.test/', { site: 'shop.test' }), 'https://{{site}}/');
  });

  test("what the action's text composes is kept as it composes it", () => {
    const names = { first: 'John', last: 'Smith' };
    assert.equal(templatizeValue('John Smith', names, 'Type {{first}} {{last}} into Name'), '{{first}} {{last}}');
    assert.equal(
      templatizeValue('John Smith', names),
      'John Smith',
      'without the action nothing says the value was composed',
    );
    assert.equal(templatizeUrl('http://x.test/page1', n, 'go to http://x.test/page{{n}}'), 'http://x.test/page{{n}}');
    assert.equal(
      templatizeUrl('http://x.test/items', { base: 'http://x.test' }, 'go to {{base}}/items'),
      '{{base}}/items',
    );
    assert.equal(templatizeValue('Welcome page1', n, 'type page1 into Search and wait for {{n}}'), 'Welcome page1');
  });

  test('a templatized URL fills back to the URL it came from', () => {
    const vars = { id: '42', q: 'mugs & cups', site: '127.0.0.1:9' };
    for (const url of [
      'http://127.0.0.1:9/items/42?q=mugs%20%26%20cups',
      'http://127.0.0.1:9/42/42',
      'http://127.0.0.1:9/x?a=42&b=420',
    ]) {
      assert.equal(fillUrl(templatizeUrl(url, vars), vars), url);
    }
  });
});
