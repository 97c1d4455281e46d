// The rule planner's reading of instructions, without a page: clauses → intents for the phrasing
// people and web-task benchmarks use, and the errors for what it does not understand. Each intent
// is shown in a short form (see `show`) so a case reads like the instruction it checks.
//
// Seed 000's "Create a meeting called Internal sync for tomorrow at 3pm" parses into: type the
// title into a Title/Name/Subject field, the date into a Date field, the time into a Time field,
// then click Save/Create. Whether that works is decided by the page: on a form with such fields it
// does (rules-planner.test.ts), elsewhere the planner fails naming the fields it saw.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Intent } from '../../src/agent/rules/intents.js';
import { parseInstruction } from '../../src/agent/rules/parse.js';
import type { TargetPhrase } from '../../src/agent/rules/phrases.js';

function phrase(target: TargetPhrase | undefined): string {
  if (!target) return '?';
  return `"${target.text}"${target.role ? `:${target.role}` : ''}${target.ordinal !== undefined ? `#${target.ordinal}` : ''}${target.anyOf ? `+${target.anyOf.length}` : ''}`;
}

/** An intent in a few words: `type 'hello' into "search":field`. */
function show(intent: Intent): string {
  switch (intent.verb) {
    case 'navigate':
      return `navigate ${intent.url}`;
    case 'reload':
      return 'reload';
    case 'history':
      return `history ${intent.direction}`;
    case 'click':
      return `${intent.how ? `${intent.how}-` : ''}click ${phrase(intent.target)}`;
    case 'open':
    case 'focus':
    case 'hover':
      return `${intent.verb} ${phrase(intent.target)}`;
    case 'type':
      return `type '${intent.value}'${intent.valueKind ? ` as ${intent.valueKind}` : ''}${intent.target ? ` into ${phrase(intent.target)}` : ''}`;
    case 'select':
      return `select '${intent.value}'${intent.target ? ` in ${phrase(intent.target)}` : ''}`;
    case 'check':
      return `${intent.checked === 'toggle' ? 'toggle' : intent.checked ? 'check' : 'uncheck'} ${intent.items.map(phrase).join(' + ')}`;
    case 'press':
      return `press ${intent.key}${intent.target ? ` in ${phrase(intent.target)}` : ''}`;
    case 'scroll':
      return intent.target ? `scroll to ${phrase(intent.target)}` : `scroll ${intent.direction}`;
    case 'wait':
      return intent.ms !== undefined
        ? `wait ${intent.ms}ms`
        : intent.text !== undefined
          ? `wait for text '${intent.text}'`
          : `wait for ${phrase(intent.target)}`;
    case 'menu':
      return `menu ${intent.path.join(' > ')}`;
    case 'expand':
      return `${intent.open ? 'expand' : 'collapse'}${intent.target ? ` ${phrase(intent.target)}` : ''}`;
    case 'close':
      return `close${intent.target ? ` ${phrase(intent.target)}` : ''}`;
    case 'fillFromPage':
      return 'fill from the page';
    case 'extract': {
      const { what } = intent;
      return what.kind === 'list'
        ? `extract list '${what.words}'`
        : what.kind === 'element'
          ? `extract ${phrase(what.target)}`
          : `extract ${what.kind}`;
    }
  }
}

function parsed(instruction: string): string[] {
  const result = parseInstruction(instruction);
  assert.ok(result.ok, `did not parse: ${!result.ok && result.error}`);
  return result.intents.map(show);
}

const CASES: [string, string[]][] = [
  // navigate / open
  ['go to example.com', ['navigate example.com']],
  ['Navigate to https://example.com/login.', ['navigate https://example.com/login']],
  ['visit localhost:3000/admin', ['navigate localhost:3000/admin']],
  ['open 127.0.0.1:8080/index.html and click Login', ['navigate 127.0.0.1:8080/index.html', 'click "Login"']],
  ['open the Login link', ['open "Login":link']],
  ['go to the settings page', ['open "settings"']],
  ['Navigate to Google Calendar', ['open "Google Calendar"']],
  ['reload the page', ['reload']],
  ['go back', ['history back']],
  ['Go back one page, then click Save', ['history back', 'click "Save"']],
  ['navigate forward in the browser history', ['history forward']],
  ['go back to the home page', ['open "home"']],
  // click
  ['click Save', ['click "Save"']],
  ['click on the Save button', ['click "Save":button']],
  ["Click the 'Sign in' link", ['click "Sign in":link']],
  ['tap the button labelled Continue', ['click "Continue":button']],
  ['press Submit', ['click "Submit"']],
  ['press the Submit button', ['click "Submit":button']],
  ['Please click OK.', ['click "OK"']],
  ['find and click Export CSV', ['click "Export CSV"']],
  ['click the third result', ['click "":item#3']],
  ['click the Cart icon in the top right corner', ['click "Cart":image']],
  ['click on the Save button at the bottom of the form', ['click "Save":button']],
  ['pick the second tab', ['click "":tab#2']],
  ['click Next 3 times', ['click "Next"', 'click "Next"', 'click "Next"']],
  ['double-click the Notes row', ['double-click "Notes":row']],
  ['double click on Notes', ['double-click "Notes"']],
  ['right-click the report.pdf link', ['right-click "report.pdf":link']],
  ['Right click Rename', ['right-click "Rename"']],
  // type / fill / set / clear
  ['type "hello world" into the search box', [`type 'hello world' into "search":field`]],
  ["Type 'Internal sync' into Title", [`type 'Internal sync' into "Title":field`]],
  ['enter alice', [`type 'alice'`]],
  ['type Tom and Jerry into Title', [`type 'Tom and Jerry' into "Title":field`]],
  ['enter bob@example.com in the Email field', [`type 'bob@example.com' into "Email":field`]],
  ['enter 10001 for the zip code', [`type '10001' into "zip code":field`]],
  ["fill in Email with 'a@b.co'", [`type 'a@b.co' into "Email":field`]],
  ["fill 'x' into Name", [`type 'x' into "Name":field`]],
  ['set Quantity to 3', [`type '3' into "Quantity":field`]],
  ['clear the search box', [`type '' into "search":field`]],
  // select
  ['select 15:00 in Time', [`select '15:00' in "Time":dropdown`]],
  ['select Large from the Size dropdown', [`select 'Large' in "Size":dropdown`]],
  ["choose 'Express shipping'", [`select 'Express shipping'`]],
  ['select the Remember me checkbox', ['check "Remember me":checkbox']],
  // check
  ['check Apples and Pears', ['check "Apples":checkbox + "Pears":checkbox']],
  ['tick Apples, Pears and Plums', ['check "Apples":checkbox + "Pears":checkbox + "Plums":checkbox']],
  ['check Apples and click Save', ['check "Apples":checkbox', 'click "Save"']],
  ['uncheck Subscribe to newsletter', ['uncheck "Subscribe to newsletter":checkbox']],
  ['toggle Dark mode', ['toggle "Dark mode":checkbox']],
  ['mark Buy milk as done', ['check "Buy milk":checkbox']],
  // keys
  ['press Enter', ['press Enter']],
  ['press the Enter key', ['press Enter']],
  ['hit tab twice', ['press Tab', 'press Tab']],
  ['press Ctrl+A in the editor', ['press Control+A in "editor"']],
  ['press the down arrow', ['press ArrowDown']],
  ['press Escape', ['press Escape']],
  // focus, hover, scroll, wait
  ['focus the search field', ['focus "search":field']],
  ['hover over Help', ['hover "Help"']],
  ['mouse over the Account menu', ['hover "Account":menu']],
  ['scroll down', ['scroll down']],
  ['scroll up a bit', ['scroll up']],
  ['scroll to the bottom', ['scroll bottom']],
  ['scroll all the way up', ['scroll top']],
  ['scroll to the footer', ['scroll to "footer"']],
  ['scroll Pricing into view', ['scroll to "Pricing"']],
  ['find the Export button', ['scroll to "Export":button']],
  ['wait 2 seconds', ['wait 2000ms']],
  ['wait for 500 ms', ['wait 500ms']],
  ["wait for 'Saved'", [`wait for text 'Saved'`]],
  ['wait until Saved appears', ['wait for "Saved"']],
  ['wait for the success message to appear', ['wait for "success"']],
  // extract
  ['get the text of the price', ['extract "price"']],
  ['what is the price?', ['extract "price"']],
  ['read the first item', ['extract "":item#1']],
  ['read the last row', ['extract "":row#-1']],
  ['extract the list of todo items', [`extract list 'todo items'`]],
  ['list all todo items', [`extract list 'todo items'`]],
  ['get all the links', [`extract list 'links'`]],
  ['get the page title', ['extract title']],
  ['read the page', ['extract page']],
  ['tell me the heading', ['extract "":heading']],
  // compounds
  ['search for running shoes', [`type 'running shoes' into "search":field+4`, 'press Enter']],
  [
    'log in as alice with password s3cret',
    [`type 'alice' into "username":field+7`, `type 's3cret' into "password":field`, 'click "sign in":button+5'],
  ],
  ['sign in', ['click "sign in":button+5']],
  ['submit the form', ['click "submit":button+11']],
  [
    'Create a meeting called Internal sync for tomorrow at 3pm',
    [
      `type 'Internal sync' into "title":field+7`,
      `type 'tomorrow' as date into "date":field+4`,
      `type '3pm' as time into "time":field+5`,
      'click "save":button+11',
    ],
  ],
  [
    'schedule an event named "Team lunch" on Friday at noon with Alice and Bob',
    [
      `type 'Team lunch' into "title":field+7`,
      `type 'Friday' as date into "date":field+4`,
      `type 'noon' as time into "time":field+5`,
      'check "Alice":checkbox + "Bob":checkbox',
      'click "save":button+11',
    ],
  ],
  // several clauses
  [
    "Type 'Internal sync' into Title, select 15:00 in Time, check Alice and Bob, then click Save",
    [
      `type 'Internal sync' into "Title":field`,
      `select '15:00' in "Time":dropdown`,
      'check "Alice":checkbox + "Bob":checkbox',
      'click "Save"',
    ],
  ],
  ["type 'a, b; c' into Notes then press Enter", [`type 'a, b; c' into "Notes":field`, 'press Enter']],
  ['type hello world, then press Enter. Finally, click Send', [`type 'hello world'`, 'press Enter', 'click "Send"']],
  [
    'go to example.com; click Sign up and then type bob into Name',
    ['navigate example.com', 'click "Sign up"', `type 'bob' into "Name":field`],
  ],
];

describe('rule planner: instructions it understands', () => {
  for (const [instruction, expected] of CASES) {
    test(instruction, () => assert.deepEqual(parsed(instruction), expected));
  }
});

describe('rule planner: instructions it refuses, and why', () => {
  test('no known action: lists the actions it understands', () => {
    const result = parseInstruction('make me a sandwich');
    assert.equal(result.ok, false);
    assert.match(
      !result.ok ? result.error : '',
      /^could not understand "make me a sandwich": it does not start with an action the rule planner knows \(navigate\/go to\/open, click/,
    );
  });

  test('one unknown clause fails the whole instruction and is quoted as written', () => {
    const result = parseInstruction("type 'x' into Title, then dance wildly");
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', /^could not understand "dance wildly"/);
  });

  test('a verb with nothing to act on', () => {
    const result = parseInstruction('click');
    assert.match(!result.ok ? result.error : '', /^could not understand "click": say what to click/);
  });

  test('checking a condition is not mistaken for ticking a box', () => {
    const result = parseInstruction('check that the box is ticked');
    assert.match(!result.ok ? result.error : '', /checking a condition is not a step/);
  });

  test('an empty instruction', () => {
    const result = parseInstruction('  ');
    assert.match(!result.ok ? result.error : '', /the instruction is empty/);
  });

  test('the clause in an error keeps its quotes as written', () => {
    const result = parseInstruction('type "a" into Title; then frobnicate "b"');
    assert.match(!result.ok ? result.error : '', /^could not understand "frobnicate "b""/);
  });
});
