// GET /browser/sessions/{id}/snapshot: the page's elements with refs and selectors, nested, then its
// text; bounded by maxChars with the rest readable from nextOffset; one element's part by scope.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const PRODUCTS = Array.from({ length: 60 }, (_, i) => `Widget ${i + 1}`);
const SHOP = `<!doctype html><meta charset="utf-8"><title>Shop</title>
<h1>Shop</h1>
<label>Search <input id="q" placeholder="name"></label>
<ul id="list">${PRODUCTS.map((name) => `<li><span>${name}</span> <button>Add ${name}</button></li>`).join('')}</ul>
<p id="status" role="status">Cart is empty</p>
<script>
  for (const b of document.querySelectorAll('button'))
    b.onclick = () => (document.getElementById('status').textContent = b.textContent.replace('Add ', 'Added '));
</script>`;

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer({
    routes: {
      '/shop.html': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(SHOP);
      },
    },
  });
  sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
    body: { url: `${fixtures.url}/shop.html` },
  });
  assert.equal(res.status, 201, res.text);
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

async function snapshot(query = ''): Promise<{ status: number; body: any; text: string }> {
  return navis.request('GET', `/browser/sessions/${sessionId}/snapshot${query}`);
}

describe('page snapshot', () => {
  test('lists elements with refs, roles, names and selectors, nested under their item, then the page text', async () => {
    const res = await snapshot('?maxChars=1000000');
    assert.equal(res.status, 200, res.text);
    const { snapshot: text } = res.body;
    assert.equal(res.body.title, 'Shop');
    assert.equal(res.body.url, `${fixtures.url}/shop.html`);
    assert.equal(res.body.truncated, false);
    assert.equal(res.body.nextOffset, null);
    assert.equal(res.body.totalChars, text.length);
    assert.match(text, /^URL: .*\/shop\.html\nTitle: Shop\nElements \(\d+\):\n/);
    assert.match(text, /^\[e0\] heading "Shop" selector="body > h1"$/m);
    assert.match(text, /^\[e\d+\] textbox "Search" placeholder="name" value="" selector="#q"$/m);
    // A button sits one level under its list item.
    assert.match(text, /^\[e\d+\] listitem "Widget 7 Add Widget 7" selector="#list > li:nth-of-type\(7\)"$/m);
    assert.match(text, /^ {2}\[e\d+\] button "Add Widget 7" selector="#list > li:nth-of-type\(7\) > button"$/m);
    assert.match(text, /\nPage text:\nShop\nSearch\n/);
  });

  test("a line's selector is what a task action uses to act on that element", async () => {
    const { body } = await snapshot('?maxChars=1000000');
    const selector = JSON.parse(/button "Add Widget 42" selector=(".*")$/m.exec(body.snapshot)![1]) as string;
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
      body: {
        actions: [
          { type: 'click', selector },
          { type: 'extract', selector: '#status' },
        ],
      },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[1].text, 'Added Widget 42');
  });

  test('past maxChars the answer is cut after a whole line, says so, and reads on from nextOffset', async () => {
    const whole = (await snapshot('?maxChars=1000000')).body.snapshot as string;
    let offset = 0;
    let joined = '';
    for (let parts = 0; ; parts++) {
      assert.ok(parts < 100, 'the parts reach the end');
      const res = await snapshot(`?maxChars=1500&offset=${offset}`);
      assert.equal(res.status, 200, res.text);
      const part = res.body;
      assert.ok(part.snapshot.length <= 1500, `a part holds at most maxChars (${part.snapshot.length})`);
      assert.equal(part.offset, offset);
      assert.equal(part.totalChars, whole.length);
      joined += part.snapshot;
      if (part.nextOffset === null) {
        assert.equal(part.truncated, false);
        break;
      }
      assert.equal(part.truncated, true);
      assert.ok(part.snapshot.endsWith('\n'), 'a part ends with a whole line');
      offset = part.nextOffset;
    }
    assert.equal(joined, whole);
  });

  test('without maxChars the answer is bounded by the default (20000 characters)', async () => {
    const res = await snapshot();
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.snapshot.length <= 20_000);
  });

  test('scope answers one element and the elements inside it, without the page text', async () => {
    const { body } = await snapshot('?maxChars=1000000');
    const ref = /^\[(e\d+)\] listitem "Widget 3 /m.exec(body.snapshot)![1];
    const res = await snapshot(`?scope=${ref}`);
    assert.equal(res.status, 200, res.text);
    const lines = (res.body.snapshot as string).trimEnd().split('\n');
    assert.equal(lines[2], `Scope: ${ref} and the 1 element(s) inside it`);
    assert.match(lines[4], new RegExp(`^\\[${ref}\\] listitem "Widget 3 Add Widget 3"`));
    assert.match(lines[5], /^ {2}\[e\d+\] button "Add Widget 3"/);
    assert.equal(lines.length, 6);
  });

  test('a scope that is not a ref of the snapshot is a 400 that says which refs there are', async () => {
    const res = await snapshot('?scope=e99999');
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /^scope 'e99999' is not a ref of the page's snapshot \(it has e0 to e\d+\)/);
    const bad = await snapshot('?maxChars=5');
    assert.equal(bad.status, 400, bad.text);
    assert.match(bad.body.error, /maxChars/);
  });

  test('an unknown session is a 404', async () => {
    const res = await navis.request('GET', '/browser/sessions/00000000-0000-4000-8000-000000000000/snapshot');
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SESSION_NOT_FOUND');
  });
});
