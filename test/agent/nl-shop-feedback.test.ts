// Issue 12, "never a false success", on the nl-shop fixture: after a click, what the page said back
// is read. A wrong password's error alert and a submit the browser's own required-field check
// blocked fail a natural-language action, naming the alert or the field; a typed task reports the
// same in its step's result and carries on. A role=status message is not an error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startNlSession, type NlSession } from '../helpers/nl-session.js';

let nl: NlSession;
before(async () => {
  nl = await startNlSession();
});
after(() => nl.close());

const run = (action: string, extra: Record<string, unknown> = {}) => nl.run(action, extra);
const task = (actions: unknown[]) => nl.task(actions);
const open = (path: string) => nl.open(`nl-shop/${path}`);
const pageValue = (script: string) => nl.pageValue(script);

const SIGN_IN = 'type ada@example.com into Email, type {{password}} into Password, click Sign in';
const CONTACT = 'type Ada Lovelace into Name, type ada@example.com into Email, select Billing in Topic';

describe('what the page says back to a click', () => {
  test('a wrong password answers success false, quoting the alert the page showed', async () => {
    await open('login.html');
    const res = await run(SIGN_IN, { variables: { password: 'not-the-one' } });
    assert.equal(res.success, false, JSON.stringify(res));
    assert.match(res.error, /the page said: "Wrong email or password"/);
    assert.equal(await pageValue('document.body.dataset.attempts'), '1', 'signed in once, not retried');
    assert.equal(await pageValue("document.getElementById('welcome').dataset.signedIn"), 'no');
  });

  test('a wrong password replayed from the cache fails the same way, and is not tried again by planning', async () => {
    await open('login.html');
    assert.equal((await run(SIGN_IN, { id: 'sign-in', variables: { password: 'hunter2' } })).success, true);
    await open('login.html');
    const res = await run(SIGN_IN, { id: 'sign-in', variables: { password: 'wrong' } });
    assert.equal(res.success, false, JSON.stringify(res));
    assert.equal(res.used_cache, true);
    assert.match(res.error, /the page said: "Wrong email or password"/);
    assert.equal(await pageValue('document.body.dataset.attempts'), '1');
  });

  test('the right password answers success true and the page welcomes Ada', async () => {
    await open('login.html');
    const res = await run(SIGN_IN, { variables: { password: 'hunter2' } });
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue("document.getElementById('welcome').textContent"), 'Welcome, Ada');
  });

  test('an alert already on the page before the click is not the click failing', async () => {
    await open('login.html');
    assert.equal((await run(SIGN_IN, { variables: { password: 'wrong' } })).success, false);
    const res = await run('type hunter2 into Password, click Sign in');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue("document.getElementById('welcome').textContent"), 'Welcome, Ada');
  });

  test('a submit blocked by the required-field check answers success false, naming the field and its message', async () => {
    await open('contact.html');
    const res = await run(`${CONTACT}, click Send`);
    assert.equal(res.success, false, JSON.stringify(res));
    const message = await pageValue("document.getElementById('message').validationMessage");
    assert.ok(message, 'Chromium gives the empty required field a message');
    assert.ok(res.error.includes(`the page refused: Message: ${JSON.stringify(message)}`), res.error);
    assert.equal(await pageValue('document.body.dataset.sent'), '0');
  });

  test('the filled contact form sends, and its role=status thank-you is no error', async () => {
    await open('contact.html');
    const res = await run(`${CONTACT}, type Where is my invoice? into Message, click Send`);
    assert.equal(res.success, true, res.error);
    assert.equal(
      await pageValue("document.getElementById('status').textContent"),
      'Thanks, Ada Lovelace — we will reply about Billing',
    );
    assert.equal(await pageValue('document.body.dataset.sent'), '1');
  });

  test('a typed task that clicks a refused submit carries on and reports what the page said', async () => {
    await open('contact.html');
    const res = await task([
      { type: 'click', selector: 'button[type=submit]' },
      { type: 'evaluate', script: 'document.body.dataset.sent' },
    ]);
    assert.equal(res.actionResults[0].pageSaid.refused.field, 'Email');
    assert.ok(res.actionResults[0].pageSaid.refused.message);
    assert.equal(res.actionResults[1].value, '0');
  });
});
