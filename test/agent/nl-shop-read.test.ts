// Issue 12, "extraction reads what was named, or fails", on the nl-shop products page: "the X of
// Y" reads X in the card or table row of Y, a list reads its items' names (not the heading), the
// status message is the role=status text, and a named thing that is not there is a failure saying
// so (never the whole page as a "success").
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

describe('reading the products page', () => {
  test('"get the price of Green Kettle" is the price in its card', async () => {
    await open('products.html');
    const res = await run('get the price of Green Kettle');
    assert.equal(res.success, true, res.error);
    assert.equal(res.result, '$24.00');
  });

  test('"the price of Red Mug" is found wherever the card moved', async () => {
    await open('products.html?order=price-desc');
    const res = await run('what is the price of Red Mug?');
    assert.equal(res.success, true, res.error);
    assert.equal(res.result, '$7.25');
  });

  test('"the email of Ada" reads the Email column of her row in the orders table', async () => {
    await open('products.html');
    const res = await run('get the email of Ada');
    assert.equal(res.success, true, res.error);
    assert.equal(res.result, 'ada@example.com');
    const status = await run('read the status of Marta');
    assert.equal(status.result, 'Shipped');
  });

  test('"extract the product names" is the four names, one per line, not the heading', async () => {
    await open('products.html');
    const res = await run('extract the product names');
    assert.equal(res.success, true, res.error);
    assert.equal(res.result, 'Green Kettle\nBlue Teapot\nRed Mug\nSteel Pan');
  });

  test('"read the status message" is the role=status text', async () => {
    await open('products.html');
    assert.equal((await run('click the first Add to cart button')).success, true);
    const res = await run('read the status message');
    assert.equal(res.success, true, res.error);
    assert.equal(res.result, 'Added Green Kettle to the cart');
  });

  test('"what does the page say?" is the page\'s main text', async () => {
    await open('contact.html');
    const res = await run('what does the page say?');
    assert.equal(res.success, true, res.error);
    assert.match(res.result, /Contact us/);
  });

  test('the price of a product that is not there is a failure naming it, not the page', async () => {
    await open('products.html');
    const res = await run('get the price of Purple Wok');
    assert.equal(res.success, false, res.result);
    assert.match(res.error, /Purple Wok/);
    assert.doesNotMatch(res.error, /Blue Teapot/);
  });

  test('a named thing that is not on the page is a failure saying what was not found', async () => {
    await open('products.html');
    const res = await run('get the shipping estimate');
    assert.equal(res.success, false, res.result);
    assert.match(res.error, /shipping estimate/);
  });
});
