// Discovery's parts without a browser: robots.txt rules, which links are followed, the default
// slug, URL templates and grouping, derived names, and how a namer's names are checked.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { groupPages } from '../../src/sites/discovery/group.js';
import {
  applyNaming,
  formActionName,
  inputName,
  singular,
  snake,
  stateName,
} from '../../src/sites/discovery/naming.js';
import { parseRobots } from '../../src/sites/discovery/robots.js';
import type { CrawledPage, DraftState, ListFacts } from '../../src/sites/discovery/types.js';
import { skipReason, slugFromHost } from '../../src/sites/discovery/urls.js';

const log = pino({ level: 'silent' });

describe('robots.txt', () => {
  const ROBOTS = [
    'User-agent: googlebot',
    'Disallow: /',
    '',
    'User-agent: *',
    'Disallow: /private',
    'Allow: /private/public',
    'Disallow: /*.pdf$',
    'Disallow: /search?',
    'Crawl-delay: 2',
  ].join('\n');
  const allows = (text: string, path: string, agent?: string) =>
    parseRobots(text, agent).allows(`http://site.test${path}`);

  test('the * group applies when no group names navis; the longest rule wins', () => {
    assert.equal(allows(ROBOTS, '/'), true);
    assert.equal(allows(ROBOTS, '/private/notes'), false);
    assert.equal(allows(ROBOTS, '/private/public/page'), true);
    assert.equal(allows(ROBOTS, '/search?q=mugs'), false);
    assert.equal(allows(ROBOTS, '/searching'), true);
  });

  test('* matches any run of characters and $ anchors the end', () => {
    assert.equal(allows(ROBOTS, '/files/report.pdf'), false);
    assert.equal(allows(ROBOTS, '/files/report.pdf.html'), true);
  });

  test("a group naming navis is used instead of *'s, and Crawl-delay is read", () => {
    const text = `${ROBOTS}\n\nUser-agent: Navis\nUser-agent: other\nDisallow: /only-not-navis\nCrawl-delay: 5\n`;
    assert.equal(allows(text, '/private/notes'), true);
    assert.equal(allows(text, '/only-not-navis'), false);
    assert.equal(parseRobots(text).crawlDelaySeconds, 5);
    assert.equal(parseRobots(ROBOTS).crawlDelaySeconds, 2);
  });

  test('Allow wins a tie, an empty Disallow allows everything', () => {
    assert.equal(allows('User-agent: *\nDisallow: /a\nAllow: /a\n', '/a'), true);
    assert.equal(allows('User-agent: *\nDisallow:\n', '/anything'), true);
  });

  test('a * in the middle matches any run, and $ anchors only at the end of a rule', () => {
    const text = 'User-agent: *\nDisallow: /shop/*/edit\nDisallow: /fish$\nDisallow: /a$b\nAllow: /*.html$\n';
    assert.equal(allows(text, '/shop/42/edit'), false);
    assert.equal(allows(text, '/shop/a/b/edit/more'), false);
    assert.equal(allows(text, '/shop/edit'), true);
    assert.equal(allows(text, '/fish'), false);
    assert.equal(allows(text, '/fish.html'), true);
    assert.equal(allows(text, '/fishy'), true);
    assert.equal(allows(text, '/a$b/c'), false, 'a $ inside a rule is a plain character');
    assert.equal(allows(text, '/shop/1/edit.html'), false, 'the longer Disallow beats the shorter Allow');
  });

  test('rules and paths compare in one percent-encoding', () => {
    assert.equal(allows('User-agent: *\nDisallow: /caf%C3%A9\n', '/café/menu'), false);
    assert.equal(allows('User-agent: *\nDisallow: /café\n', '/caf%c3%a9'), false);
    assert.equal(allows('User-agent: *\nDisallow: /%7Euser\n', '/~user/home'), false);
    assert.equal(allows('User-agent: *\nDisallow: /a%2Fb\n', '/a/b'), true, 'an escaped / is not a path separator');
  });

  test('a rule that backtracks exponentially as a RegExp is decided in one pass', () => {
    const text = `User-agent: *\nDisallow: /${'*a'.repeat(14)}*b\n`;
    assert.equal(allows(text, `/${'a'.repeat(40)}`), true);
    assert.equal(allows(text, `/${'a'.repeat(40)}b`), false);
    const thousand = `User-agent: *\nDisallow: /${'*a'.repeat(1000)}*b\n`;
    assert.equal(allows(thousand, `/${'a'.repeat(1500)}`), true);
  });

  test('a file whose rules cost too much to check disallows the URL instead of stalling', () => {
    const text = `User-agent: *\n${Array.from({ length: 5000 }, (_, i) => `Disallow: /*a${i}*z`).join('\n')}\n`;
    assert.equal(allows(text, `/${'a'.repeat(1500)}`), false);
    assert.equal(allows(text, '/short'), true, 'short paths stay within the budget');
  });
});

test('only same-origin http pages are followed: not mail, files, other sites, or log-out and delete links', () => {
  const origin = 'http://shop.test';
  assert.equal(skipReason('http://shop.test/products?page=2', origin), undefined);
  assert.equal(skipReason('mailto:a@b.c', origin), 'not-http');
  assert.equal(skipReason('javascript:void(0)', origin), 'not-http');
  assert.equal(skipReason('https://shop.test/', origin), 'other-origin');
  assert.equal(skipReason('http://cdn.test/a.html', origin), 'other-origin');
  assert.equal(skipReason('http://shop.test/catalogue.PDF', origin), 'file');
  assert.equal(skipReason('http://shop.test/img/mug.jpg', origin), 'file');
  assert.equal(skipReason('http://shop.test/logout', origin), 'harmful');
  assert.equal(skipReason('http://shop.test/items/3/delete', origin), 'harmful');
  assert.equal(skipReason('http://shop.test/account/sign-out?next=/', origin), 'harmful');
});

test('the default slug comes from the host', () => {
  assert.equal(slugFromHost('http://127.0.0.1:8123/shop/'), '127-0-0-1-8123');
  assert.equal(slugFromHost('https://www.example.com/a'), 'example-com');
  assert.equal(slugFromHost('https://Shop.Example.co.uk'), 'shop-example-co-uk');
});

function page(url: string, opts: { fields?: string[]; lists?: Array<Partial<ListFacts>> } = {}): CrawledPage {
  const elements = (opts.fields ?? []).map((name, i) => ({
    ref: `e${i}`,
    role: 'textbox',
    name,
    tag: 'input',
    css: `#f${i}`,
    visible: true,
  }));
  const controls = Object.fromEntries(
    (opts.fields ?? []).map((name, i) => [
      `#f${i}`,
      {
        formIndex: 0,
        tag: 'input',
        type: 'text',
        nameAttr: name,
        required: false,
        isSubmit: false,
        inLandmark: false,
        selectors: [`#f${i}`],
      },
    ]),
  );
  const lists = (opts.lists ?? []).map((l) => ({ itemSelector: 'ul > li', count: 3, fields: [], links: [], ...l }));
  return {
    url,
    depth: 1,
    snapshot: { url, title: '', elements, text: '' },
    facts: { headings: [], forms: [], controls, lists },
    roleSelectors: {},
  };
}

describe('URL templates and grouping', () => {
  test('numeric ids in a path or a file name become {{id}}; the pattern matches other ids only', () => {
    const groups = groupPages([
      page('http://s.test/shop/products/1.html'),
      page('http://s.test/shop/products/22.html'),
      page('http://s.test/shop/products.html'),
    ]);
    assert.deepEqual(
      groups.map((g) => [g.template.url, g.pages.length]),
      [
        ['/shop/products/{{id}}.html', 2],
        ['/shop/products.html', 1],
      ],
    );
    assert.deepEqual(
      groups[0].pages.map((p) => p.values),
      [{ id: '1' }, { id: '22' }],
    );
    const pattern = new RegExp(groups[0].template.pattern);
    assert.ok(pattern.test('/shop/products/7.html'));
    assert.ok(!pattern.test('/shop/products/7/reviews.html'));
  });

  test('uuids and id-like query values are templated, with the parameter as the name', () => {
    const [uuid] = groupPages([page('http://s.test/orders/0b6f7c1e-9a4f-4c1a-8f00-1234567890ab/items/5')]);
    assert.equal(uuid.template.url, '/orders/{{id}}/items/{{id2}}');
    const [query] = groupPages([page('http://s.test/product.php?id=12&tab=reviews')]);
    assert.equal(query.template.url, '/product.php?id={{id}}&tab=reviews');
    assert.deepEqual(query.pages[0].values, { id: '12' });
  });

  test('slugs become {{id}} only for pages linked from one list', () => {
    const links = ['http://s.test/blog/first-post', 'http://s.test/blog/second-post'];
    const groups = groupPages([
      page('http://s.test/blog', { lists: [{ links }] }),
      page(links[0]),
      page(links[1]),
      page('http://s.test/about-us'),
      page('http://s.test/contact-us'),
    ]);
    assert.deepEqual(
      groups.map((g) => g.template.url),
      ['/blog', '/blog/{{id}}', '/about-us', '/contact-us'],
    );
  });

  test('pages of one URL pattern but different structure are different states', () => {
    const groups = groupPages([
      page('http://s.test/items/1', { fields: ['title', 'price'] }),
      page('http://s.test/items/2', { fields: ['title', 'price'] }),
      page('http://s.test/items/3', { fields: ['card_number', 'expiry', 'cvc'] }),
    ]);
    assert.deepEqual(
      groups.map((g) => g.pages.length),
      [2, 1],
    );
  });
});

describe('derived names', () => {
  test('state names come from the last static URL segment (singular before an id), else the heading', () => {
    assert.equal(stateName('/shop/login.html', ['Log in'], '', false), 'LoginPage');
    assert.equal(stateName('/shop/products.html', [], '', false), 'ProductsPage');
    assert.equal(stateName('/shop/products/{{id}}.html', ['Blue Mug'], '', false), 'ProductPage');
    assert.equal(stateName('/categories/{{id}}', [], '', false), 'CategoryPage');
    assert.equal(stateName('/shop/index.html', [], '', true), 'HomePage');
    assert.equal(stateName('/', [], '', true), 'HomePage');
    assert.equal(stateName('/blog/index.html', [], '', false), 'BlogPage');
    assert.equal(stateName('/p/{{id}}', ['Order history'], '', false), 'OrderHistoryPage');
    assert.equal(stateName('/user-settings', [], '', false), 'UserSettingsPage');
    assert.equal(stateName('/{{id}}', [], '404 - not found', false), 'Page404NotFoundPage');
  });

  test('form actions are named from the submit button and the form', () => {
    assert.equal(formActionName('Log in', { identity: 'login-form' }), 'submit_login');
    assert.equal(formActionName('Sign up', {}), 'submit_signup');
    assert.equal(formActionName('Add to cart', { identity: 'add-to-cart' }), 'add_to_cart');
    assert.equal(formActionName('Apply', { identity: 'coupon-form' }), 'apply_coupon');
    assert.equal(formActionName('Search', { identity: 'search' }), 'search');
    assert.equal(formActionName('Submit', { identity: 'newsletter' }), 'submit_newsletter');
    assert.equal(formActionName('', { label: 'Contact us' }), 'submit_contact_us');
  });

  test('input names keep a name attribute that is an Identifier, else become snake_case', () => {
    assert.equal(inputName({ nameAttr: 'email' }, 0), 'email');
    assert.equal(inputName({ nameAttr: 'firstName' }, 0), 'firstName');
    assert.equal(inputName({ nameAttr: 'user[email]' }, 0), 'user_email');
    assert.equal(inputName({ nameAttr: '2fa-code' }, 0), 'field_2fa_code');
    assert.equal(inputName({ label: 'Your comment' }, 3), 'your_comment');
    assert.equal(inputName({}, 3), 'field_4');
    assert.equal(snake('1-click buy', 'action'), 'action_1_click_buy');
    assert.equal(singular('boxes'), 'box');
    assert.equal(singular('address'), 'address');
  });
});

test("a namer's names are used only when they are Identifiers and free", () => {
  const draft = (name: string, actions: string[]): DraftState => ({
    state: { name, url: '/', views: [] },
    actions: actions.map((a) => ({
      kind: 'click',
      label: a,
      samples: {},
      needsFile: false,
      action: { name: a, inputs: [], steps: [{ type: 'click', selector: '#x' }] },
    })),
    title: '',
    headings: [],
  });
  const drafts = [draft('HomePage', ['search']), draft('CartPage', ['checkout', 'empty_cart'])];
  const warnings = applyNaming(
    drafts,
    {
      states: [
        { key: 'HomePage', name: 'CartPage' },
        { key: 'CartPage', name: 'BasketPage', description: 'x'.repeat(3000) },
        { key: 'Nope', name: 'Whatever' },
      ],
      actions: [
        { state: 'CartPage', key: 'checkout', name: 'empty_cart' },
        { state: 'CartPage', key: 'empty_cart', name: 'clear-cart' },
        { state: 'HomePage', key: 'search', name: 'find_products', description: 'Searches the shop.' },
      ],
    },
    log,
  );
  assert.deepEqual(
    drafts.map((d) => d.state.name),
    ['HomePage', 'BasketPage'],
  );
  assert.equal(drafts[1].state.description?.length, 2000);
  assert.deepEqual(
    drafts[1].actions.map((a) => a.action.name),
    ['checkout', 'empty_cart'],
  );
  assert.equal(drafts[0].actions[0].action.name, 'find_products');
  assert.equal(warnings.length, 3);
});
