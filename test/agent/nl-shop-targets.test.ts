// Issue 12 on the nl-shop fixture: a natural-language click on one of several identical controls
// ("the second Add to cart button") acts on that one, replays on that one from the step cache, and
// never acts on another product's control after the page reordered them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNlSession, type NlSession } from '../helpers/nl-session.js';

let nl: NlSession;
before(async () => {
  nl = await startNlSession();
});
after(() => nl.close());

const run = (action: string, extra: Record<string, unknown> = {}) => nl.run(action, extra);
const open = (path: string) => nl.open(`nl-shop/${path}`);
const pageValue = (script: string) => nl.pageValue(script);

const cart = () => pageValue('document.body.dataset.cart');

describe('identical controls on the products page', () => {
  test('"click the second Add to cart button" adds the second product, planned and replayed', async () => {
    await open('products.html');
    const first = await run('click the second Add to cart button', { id: 'second-add' });
    assert.equal(first.success, true, first.error);
    assert.equal(await cart(), 'Blue Teapot');
    const entry = await nl.navis.request('GET', '/public/step-cache/second-add');
    assert.equal(entry.body.steps[0].target.nth, 1, JSON.stringify(entry.body.steps));
    assert.equal(entry.body.steps[0].target.item, 'Blue Teapot');

    await open('products.html');
    const replay = await run('click the second Add to cart button', { id: 'second-add' });
    assert.equal(replay.success, true, replay.error);
    assert.deepEqual([replay.used_cache, replay.cache_failed], [true, false]);
    assert.equal(await cart(), 'Blue Teapot');
  });

  test('after the products were reordered, the replay fails verification and re-plans: one product added, never silently another', async () => {
    await open('products.html');
    assert.equal((await run('click the second Add to cart button', { id: 'second-reordered' })).success, true);

    await open('products.html?order=price-desc');
    assert.equal(await pageValue('document.body.dataset.order'), 'Steel Pan,Green Kettle,Blue Teapot,Red Mug');
    const replay = await run('click the second Add to cart button', { id: 'second-reordered' });
    assert.equal(replay.used_cache, true);
    assert.equal(replay.cache_failed, true, 'the cached step must not pass verification on the reordered page');
    assert.match(replay.cache_detail, /"Blue Teapot"/);
    assert.match(replay.cache_detail, /"Green Kettle"/);
    // Re-planned from the instruction: the second button of the page as it is now, and only that one.
    assert.equal(replay.success, true, replay.error);
    assert.equal(await cart(), 'Green Kettle');
  });

  test('a unique control keeps no position: its cached target is found wherever it moved', async () => {
    await open('products.html');
    const res = await run('select Price in Sort by', { id: 'sort-price' });
    assert.equal(res.success, true, res.error);
    const entry = await nl.navis.request('GET', '/public/step-cache/sort-price');
    assert.equal(entry.body.steps[0].target.nth, undefined);
    assert.equal(await pageValue('document.body.dataset.order'), 'Red Mug,Blue Teapot,Green Kettle,Steel Pan');
  });

  test('"Add to cart for Green Kettle" clicks the button in its card', async () => {
    await open('products.html?order=price-desc');
    const res = await run('click Add to cart for Green Kettle');
    assert.equal(res.success, true, res.error);
    assert.equal(await cart(), 'Green Kettle');
  });

  test('"the Delete button in the row for Marta" deletes her order only', async () => {
    await open('products.html');
    const res = await run('click the Delete button in the row for Marta');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue('document.body.dataset.deleted'), 'Marta');
  });

  test('clicking a button acts on the button, not the list item around it', async () => {
    await open('products.html');
    const res = await run('click the third Add to cart button');
    assert.equal(res.success, true, res.error);
    assert.equal(await cart(), 'Red Mug');
    assert.match(res.steps[0], /^clicked button "Add to cart"/);
  });
});
