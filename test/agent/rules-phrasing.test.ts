// Issue 12: instructions as people write them, read by the rule planner on the suite's own pages
// (test/fixtures/agent/phrasing.html and the nl-shop fixture). Each family of phrasing is one test:
// what the page shows afterwards is what counts, and anything not fully done is not a success.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseInstruction } from '../../src/agent/rules/parse.js';
import { startNlSession, type NlSession } from '../helpers/nl-session.js';

let nl: NlSession;
before(async () => {
  nl = await startNlSession();
});
after(() => nl.close());

const run = (action: string) => nl.run(action);
const open = (path: string) => nl.open(path);
const pageValue = (script: string) => nl.pageValue(script);
const log = () => pageValue('document.body.dataset.log');
const fieldValues = () =>
  pageValue("[...document.querySelectorAll('form input')].map((i) => i.name + '=' + i.value).join('|')");

describe('phrasing families on the phrasing page', () => {
  test('role words with names: "the link "Ac"", "button ONE, then button TWO"', async () => {
    await open('agent/phrasing.html');
    const res = await run('Click on the link "Ac", then click button TWO and then click button ONE');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'link:Ac,button:TWO,button:ONE');
  });

  test('quoted values with the words naming them, several values into several fields, one value into both', async () => {
    await open('agent/phrasing.html');
    let res = await run('Put the username "grace" and the password "s3cret" into the text fields');
    assert.equal(res.success, true, res.error);
    res = await run('Type "777" into both Code fields');
    assert.equal(res.success, true, res.error);
    assert.equal(await fieldValues(), 'username=grace|password=s3cret|code1=777|code2=777');
  });

  test('a value constraint: "in all upper case letters"', async () => {
    await open('agent/phrasing.html');
    const res = await run('Write "grace hopper" in all upper case letters into Username');
    assert.equal(res.success, true, res.error);
    assert.match(await fieldValues(), /^username=GRACE HOPPER\|/);
  });

  test('a sentence of context is skipped; "expand" opens the one collapsed section first', async () => {
    await open('agent/phrasing.html');
    const res = await run('There is a section on this page. Expand it and press "Submit section".');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'submit:open');
  });

  test('"close the dialog by clicking the x" clicks its close button', async () => {
    await open('agent/phrasing.html');
    const res = await run('Dismiss the notice by pressing the "x"');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'dialog:closed');
  });

  test('an item that starts with …: types the start and picks the suggestion that fits', async () => {
    await open('agent/phrasing.html');
    const res = await run('Use the Fruit box to enter a fruit that starts with "Po" and ends with "plum"');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'picked:Polish plum');
    const none = await run('Enter something beginning with "Zz" into Fruit');
    assert.equal(none.success, false, 'no suggestion fits: not a success');
    assert.match(none.error, /no suggestion starts with 'Zz'/);
  });

  test('a menu path: "File > Save"', async () => {
    await open('agent/phrasing.html');
    const res = await run('choose File > Save');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'menu:File>Save');
  });

  test('"the value of X" is read from the page, never typed as words', async () => {
    await open('agent/phrasing.html');
    const res = await run('Enter the value of Year into Username');
    assert.equal(res.success, true, res.error);
    assert.match(await fieldValues(), /^username=1987\|/);
    const missing = await run('Enter the value of Weight into Username');
    assert.equal(missing.success, false);
    assert.match(missing.error, /could not find the value of "Weight"/);
  });

  test('a target in an item, each match: "the like icon on all posts by @ada"', async () => {
    await open('agent/phrasing.html');
    const res = await run('click the like icon on all posts by @ada');
    assert.equal(res.success, true, res.error);
    assert.equal(await log(), 'like:ada:1,like:ada:3');
    await open('agent/phrasing.html');
    const one = await run('For the post by @bob, click the like icon');
    assert.equal(one.success, true, one.error);
    assert.equal(await log(), 'like:bob:2');
  });
});

describe('messages in a mail-like app (test/fixtures/agent/inbox.html)', () => {
  const inbox = () => pageValue('document.body.dataset.log');

  test('"forward Grace\'s email to Bob" and "Forward Bob the email from Grace": open it, Forward, To, Send', async () => {
    await open('agent/inbox.html');
    let res = await run("forward Grace's email to bob@example.com");
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'forward:Grace:bob@example.com');
    await open('agent/inbox.html');
    res = await run('Could you forward Linus the message from Ada, please?');
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'forward:Ada:Linus');
  });

  test('"find the email by X and reply with …", "delete it", "mark it as important"', async () => {
    await open('agent/inbox.html');
    let res = await run('Find the email by Linus and reply with "Merged, thanks."');
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'reply:Linus:Merged, thanks.');
    await open('agent/inbox.html');
    res = await run('Locate the message Grace sent and delete it.');
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'deleted:Grace');
    await open('agent/inbox.html');
    res = await run("Find Ada's mail and mark it as important");
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'starred:Ada');
  });

  test('the words first or the person first: "Tell Ada "…" in an email", "Respond "…" to the email sent by Grace"', async () => {
    await open('agent/inbox.html');
    let res = await run('Tell Ada "See you at ten." in an email');
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'reply:Ada:See you at ten.');
    await open('agent/inbox.html');
    res = await run('In the mail app, respond "Looks good." to the message sent by Grace');
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'reply:Grace:Looks good.');
    await open('agent/inbox.html');
    res = await run("Linus's email should be marked as important");
    assert.equal(res.success, true, res.error);
    assert.equal(await inbox(), 'starred:Linus');
  });

  test('a sender who wrote nothing here is an error, not some other message', async () => {
    await open('agent/inbox.html');
    const res = await run("forward Margaret's email to Bob");
    assert.equal(res.success, false);
    assert.equal(await inbox(), '');
  });
});

describe('widgets (test/fixtures/agent/widgets.html)', () => {
  const widgets = () => pageValue('document.body.dataset.log');

  test('a date for a field that takes no typing: its calendar, months stepped, the day picked', async () => {
    await open('agent/widgets.html');
    const res = await run('Pick 03/14/2030 as the start date');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue("document.getElementById('start').value"), '03/14/2030');
  });

  test('an unasked popup that disables the form is declined (Cancel), and what it swallowed is typed again', async () => {
    await open('agent/widgets.html');
    const res = await run('Enter the user "ada" and the pass "s3cret" into the text fields and press login');
    assert.equal(res.success, true, res.error);
    assert.equal(await widgets(), 'login:ada:s3cret');
  });

  test('copy … paste it into …: the value exactly, trailing space included', async () => {
    await open('agent/widgets.html');
    const res = await run('Copy the text in the Source text area and paste it into the Target text input');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue("document.getElementById('target').value"), 'copy me exactly ');
  });

  test('several options of a multi-select are all kept', async () => {
    await open('agent/widgets.html');
    const res = await run('Select Green, Teal from the Colors list');
    assert.equal(res.success, true, res.error);
    assert.equal(
      await pageValue("[...document.getElementById('colors').selectedOptions].map((o) => o.text).join(',')"),
      'Green,Teal',
    );
  });

  test('scrolling an element to its bottom (not the page), then the button it enables', async () => {
    await open('agent/widgets.html');
    const res = await run('Scroll to the bottom of the Terms, then press Agree');
    assert.equal(res.success, true, res.error);
    assert.equal(await widgets(), 'agreed');
  });
});

describe('reading from the page (test/fixtures/agent/reading.html)', () => {
  const value = (id: string) => pageValue(`document.getElementById('${id}').value`);

  test('"the 4th word in the story", "the last word" typed where asked, without punctuation', async () => {
    await open('agent/reading.html');
    let res = await run('Find the 4th word in the story, type that into Answer');
    assert.equal(res.success, true, res.error);
    assert.equal(await value('answer'), 'jumping');
    res = await run('Take the last word of the story and enter it into Answer');
    assert.equal(res.success, true, res.error);
    assert.equal(await value('answer'), 'softly');
  });

  test('fields named only by the words beside them, filled from the table', async () => {
    await open('agent/reading.html');
    let res = await run('Enter the value that goes with each label into the form');
    assert.equal(res.success, true, res.error);
    assert.deepEqual([await value('city'), await value('zip')], ['Lisbon', '1100']);
    res = await run('type Porto into City');
    assert.equal(res.success, true, res.error);
    assert.equal(await value('city'), 'Porto');
  });

  test('a record further on a paged list: the next page is followed until it shows', async () => {
    await open('agent/reading.html');
    const res = await run('Find Linus in the phone book and click on their phone');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue('document.body.dataset.log'), 'called:Linus');
    await open('agent/reading.html');
    const missing = await run('Find Margaret in the phone book and click on their phone');
    assert.equal(missing.success, false, 'nobody of that name: not a success');
    assert.equal(await pageValue('document.body.dataset.log'), '');
  });
});

describe('the shop phrasings that answered wrongly or were refused', () => {
  const cart = () => pageValue('document.body.dataset.cart');

  test('two values, two fields, one clause: nothing dropped', async () => {
    await open('nl-shop/login.html');
    const res = await run('type ada@example.com into Email and hunter2 into Password and press Enter');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue("document.getElementById('email').value"), 'ada@example.com');
  });

  test('a quoted value never swallows the next field; choose … as …', async () => {
    await open('nl-shop/contact.html');
    const res = await run(
      'Fill in Name with "Ada Lovelace", Email with ada@example.com, choose Billing as topic and write "Hi" into Message',
    );
    assert.equal(res.success, true, res.error);
    const values = await pageValue(
      "['name','email','topic','message'].map((id) => document.getElementById(id).value).join('|')",
    );
    const [name, email, topic, message] = values.split('|');
    assert.deepEqual([name, email, message], ['Ada Lovelace', 'ada@example.com', 'Hi']);
    assert.match(topic, /billing/i);
  });

  test('"fill the contact form with name … and message … and send it"', async () => {
    await open('nl-shop/contact.html');
    const res = await run('fill the contact form with name Ada, email ada@example.com and message Hi and send it');
    assert.equal(res.success, true, res.error);
    assert.equal(await pageValue('document.body.dataset.sent'), '1');
  });

  test('ordinals and items: the 2nd "Add to cart", add Blue Teapot to the cart, add the third product', async () => {
    await open('nl-shop/products.html');
    assert.equal((await run('click the 2nd "Add to cart"')).success, true);
    assert.equal(await cart(), 'Blue Teapot');
    await open('nl-shop/products.html?order=price-desc');
    assert.equal((await run('add Blue Teapot to the cart')).success, true);
    assert.equal(await cart(), 'Blue Teapot');
    await open('nl-shop/products.html');
    assert.equal((await run('add the third product to the cart')).success, true);
    assert.equal(await cart(), 'Red Mug');
  });

  test('open the first product, sort by price', async () => {
    await open('nl-shop/products.html');
    const opened = await run('open the first product');
    assert.equal(opened.success, true, opened.error);
    assert.match(await pageValue('location.hash'), /^#details-/);
    await open('nl-shop/products.html');
    const sorted = await run('sort by price');
    assert.equal(sorted.success, true, sorted.error);
    assert.equal(await pageValue("document.getElementById('sort').value"), 'price');
  });
});

describe('phrasings read without a page', () => {
  const intents = (instruction: string) => {
    const parsed = parseInstruction(instruction);
    assert.ok(parsed.ok, !parsed.ok ? parsed.error : '');
    return parsed.intents;
  };

  test('an unknown imperative still fails the whole instruction; a statement is context', () => {
    assert.equal(parseInstruction('click Save, then juggle the plates').ok, false);
    assert.deepEqual(
      intents('The page lists your orders. Click Refresh.').map((i) => i.verb),
      ['click'],
    );
  });

  test('"select nothing" does nothing; several options are several selections', () => {
    assert.deepEqual(
      intents('Select nothing and click Submit').map((i) => i.verb),
      ['click'],
    );
    assert.deepEqual(
      intents('Select Apples, Pears and Plums').map((i) => (i.verb === 'select' ? i.value : i.verb)),
      ['Apples', 'Pears', 'Plums'],
    );
  });

  test('kinds instead of names: "from the list", "the 3rd search result", "into the text input"', () => {
    const [select] = intents('Pick Tasha from the list');
    assert.ok(select.verb === 'select' && select.value === 'Tasha' && !select.target, JSON.stringify(select));
    const [third] = intents('then find and click the 3rd search result');
    assert.ok(third.verb === 'click' && third.target.ordinal === 3 && third.target.role === 'item');
    const [typed] = intents('Type "Tula" into the text input');
    assert.ok(typed.verb === 'type' && typed.target?.role === 'field' && typed.target.tag === 'input');
  });

  test('"log out", "send it", "Search for flights" as one name first', () => {
    assert.equal(intents('log out')[0].verb, 'click');
    const search = intents('click Search for flights')[0];
    assert.ok(search.verb === 'click' && search.target.whole === 'Search for flights');
  });
});
