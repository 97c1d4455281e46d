// What discovery reads of a page besides navis's snapshot (src/agent/snapshot.ts), which already
// gives every element's role, name, label and CSS path: for those elements, their form, `required`,
// `name` and robust selectors; the forms; headings; repeated lists and a product-like record.
// Plain JavaScript text, like the page script, so no TypeScript tooling rewrites it on its way in.
import type { Page } from '../../browsers/playwright.js';
import type { PageSnapshot } from '../../agent/types.js';
import type { PageFacts } from './types.js';

const FACTS_SCRIPT = String.raw`
(() => {
  if (window.__navisDiscovery) return;
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const esc = (s) => CSS.escape(s);
  const q = (s) => s.replace(/["\\]/g, '\\$&');
  const LANDMARK = 'nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo], [role=menu], [role=menubar]';
  const selects = (sel, el) => { try { const all = document.querySelectorAll(sel); return all.length === 1 && all[0] === el; } catch { return false; } };
  const classes = (el) => [...el.classList].filter((c) => /^[A-Za-z][\w-]*$/.test(c) && !/^(active|selected|open|hover|focus|js-)/.test(c));
  const step = (el) => el.tagName.toLowerCase() + classes(el).map((c) => '.' + esc(c)).join('');

  // A heading close above el (among its or its parent's three previous siblings): what titles it.
  function headingBefore(el) {
    for (let node = el, level = 0; node && node !== document.body && level < 2; node = node.parentElement, level++) {
      let prev = node.previousElementSibling;
      for (let n = 0; prev && n < 3; prev = prev.previousElementSibling, n++) {
        if (/^H[1-6]$/.test(prev.tagName)) return norm(prev.textContent);
        if (/^(HEADER|HGROUP)$/.test(prev.tagName) && prev.querySelector('h1, h2, h3, h4, h5, h6')) return norm(prev.querySelector('h1, h2, h3, h4, h5, h6').textContent);
      }
    }
    return undefined;
  }
  function formSelector(form) {
    const c = [];
    if (form.id) c.push('#' + esc(form.id));
    if (form.getAttribute('name')) c.push('form[name="' + q(form.getAttribute('name')) + '"]');
    if (form.getAttribute('action')) c.push('form[action="' + q(form.getAttribute('action')) + '"]');
    c.push('form');
    return c.find((s) => selects(s, form));
  }
  function controlSelectors(el, formSel) {
    const tag = el.tagName.toLowerCase();
    const c = [];
    if (el.id) c.push('#' + esc(el.id));
    const testId = el.getAttribute('data-testid');
    if (testId) c.push('[data-testid="' + q(testId) + '"]');
    const name = el.getAttribute('name');
    if (name) {
      const value = (el.type === 'radio' || el.type === 'checkbox') && el.getAttribute('value');
      const byName = tag + '[name="' + q(name) + '"]' + (value ? '[value="' + q(value) + '"]' : '');
      c.push(byName);
      if (formSel) c.push(formSel + ' ' + byName);
    }
    if (formSel && el.type === 'submit') c.push(formSel + ' [type=submit]', formSel + ' ' + tag);
    return c.filter((s) => selects(s, el));
  }
  function control(el) {
    const form = el.form || el.closest('form');
    const formSel = form ? formSelector(form) : undefined;
    const fieldset = el.closest('fieldset');
    const legend = fieldset && fieldset.querySelector('legend');
    const out = {
      formIndex: form ? [...document.forms].indexOf(form) : -1,
      tag: el.tagName.toLowerCase(),
      type: String(el.type || el.getAttribute('type') || '').toLowerCase(),
      required: !!el.required || el.getAttribute('aria-required') === 'true',
      isSubmit: !!form && (el.tagName === 'BUTTON' || el.tagName === 'INPUT') && (el.type === 'submit' || el.type === 'image'),
      inLandmark: !!el.closest(LANDMARK),
      selectors: controlSelectors(el, formSel),
    };
    if (el.getAttribute('name')) out.nameAttr = el.getAttribute('name');
    if (el.tagName === 'SELECT') out.options = [...el.options].map((o) => ({ label: norm(o.label || o.text), value: o.value }));
    if (el.type === 'radio' || el.type === 'checkbox') out.value = el.value;
    if (el.getAttribute('min') !== null) out.min = el.getAttribute('min');
    if (legend) out.groupLabel = norm(legend.textContent);
    return out;
  }

  // The path from root to el of tag.class steps, with :nth-of-type where siblings share them.
  function relPath(root, el) {
    const parts = [];
    for (let node = el; node && node !== root; node = node.parentElement) {
      const s = step(node);
      const twins = [...node.parentElement.children].filter((c) => step(c) === s);
      parts.unshift(twins.length > 1 ? node.tagName.toLowerCase() + ':nth-of-type(' + ([...node.parentElement.children].filter((c) => c.tagName === node.tagName).indexOf(node) + 1) + ')' : s);
    }
    return parts.join(' > ');
  }
  function rootSelector(el) {
    if (el === document.body) return 'body';
    if (el.id && selects('#' + esc(el.id), el)) return '#' + esc(el.id);
    if (selects(step(el), el)) return step(el);
    return rootSelector(el.parentElement) + ' > ' + relPath(el.parentElement, el);
  }
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && norm(n.textContent));
  const wordName = (el, fallback) => (classes(el)[0] || fallback);
  // A table's column titles (thead, or a first row of th cells), to name the fields of its rows.
  function columnNames(items) {
    const table = items[0].closest('table');
    if (!table || items[0].tagName !== 'TR') return [];
    const head = table.querySelector('thead tr') || (table.rows[0] && [...table.rows[0].cells].every((c) => c.tagName === 'TH') ? table.rows[0] : null);
    return head ? [...head.cells].map((c) => norm(c.textContent)) : [];
  }
  function fieldsOf(items) {
    const columns = columnNames(items);
    const seen = new Map();
    items.forEach((item, i) => {
      for (const d of item.querySelectorAll('*')) {
        if (!(d.matches('a[href], img[src]') || ownText(d)) || d.closest('script, style, svg, select, button')) continue;
        const rel = relPath(item, d);
        const entry = seen.get(rel) || { el: d, items: new Set() };
        entry.items.add(i);
        seen.set(rel, entry);
      }
    });
    const fields = [];
    for (const [rel, { el, items: found }] of seen) {
      if (found.size < items.length) continue;
      const tag = el.tagName.toLowerCase();
      if (tag === 'a') {
        const base = wordName(el, fields.some((f) => f.attribute === 'href') ? 'link' : 'name');
        fields.push({ name: base, selector: rel, attribute: 'text' }, { name: base === 'name' ? 'url' : base + '_url', selector: rel, attribute: 'href' });
      } else if (tag === 'img') fields.push({ name: wordName(el, 'image'), selector: rel, attribute: 'src' });
      else if (tag === 'td' || tag === 'th') fields.push({ name: wordName(el, columns[el.cellIndex] || 'text'), selector: rel, attribute: 'text' });
      else fields.push({ name: wordName(el, /^h[1-6]$/.test(tag) ? 'title' : tag === 'p' ? 'description' : 'text'), selector: rel, attribute: 'text' });
    }
    if (!fields.length && items.every(ownText)) fields.push({ name: 'text', selector: '', attribute: 'text' });
    return fields.slice(0, 20);
  }
  const ITEM_TAGS = /^(LI|TR|DIV|ARTICLE|SECTION|DD|DT)$/;
  function lists() {
    const out = [];
    const claimed = [];
    for (const parent of document.body.querySelectorAll('*')) {
      if (parent.closest(LANDMARK + ', select, datalist, svg, form') || claimed.some((c) => c.contains(parent))) continue;
      const kids = [...parent.children].filter((c) => ITEM_TAGS.test(c.tagName));
      if (kids.length < 3) continue;
      const counts = new Map();
      kids.forEach((k) => counts.set(step(k), (counts.get(step(k)) || 0) + 1));
      const [sig, n] = [...counts].sort((a, b) => b[1] - a[1])[0];
      if (n < 3 || n < parent.children.length * 0.6) continue;
      const items = kids.filter((k) => step(k) === sig && !(k.tagName === 'TR' && [...k.children].every((c) => c.tagName === 'TH')));
      if (items.length < 3) continue;
      if (items.some((i) => !norm(i.innerText))) continue;
      const fields = fieldsOf(items);
      if (!fields.length) continue;
      claimed.push(parent);
      const links = [...new Set(items.flatMap((i) => [...i.querySelectorAll('a[href]')].map((a) => a.href)))];
      const label = headingBefore(parent) || norm((parent.id || classes(parent)[0] || '').replace(/[-_]/g, ' ')) || undefined;
      out.push({ itemSelector: rootSelector(parent) + ' > ' + sig, count: items.length, label, itemClass: classes(items[0])[0], fields, links });
      if (out.length >= 5) break;
    }
    return out;
  }

  const PRICE = /(?:[$€£¥]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|USD|EUR|GBP)\b)/;
  function record(listRoots) {
    const h1s = document.querySelectorAll('h1');
    if (h1s.length !== 1) return undefined;
    const h1 = h1s[0];
    const inList = (el) => listRoots.some((r) => r.contains(el));
    const candidates = ['[itemprop=price]', '[class*=price]', 'body *'].flatMap((sel) => [...document.querySelectorAll(sel)]);
    const price = candidates.find(
      (el) => !el.closest(LANDMARK) && !inList(el) && el.children.length === 0 && PRICE.test(norm(el.textContent)) && norm(el.textContent).length < 40);
    const schema = !!document.querySelector('[itemtype*="schema.org/Product"]');
    if (!price && !schema) return undefined;
    let root = h1.parentElement;
    while (price && root !== document.body && !root.contains(price)) root = root.parentElement;
    if (root === document.body) root = document.querySelector('main') || document.body;
    const fields = [{ name: 'title', selector: relPath(root, h1), attribute: 'text' }];
    if (price) fields.push({ name: 'price', selector: relPath(root, price), attribute: 'text' });
    const description = [...root.querySelectorAll('p')].find((p) => norm(p.textContent).length >= 20 && p !== price && !p.closest('form'));
    if (description) fields.push({ name: 'description', selector: relPath(root, description), attribute: 'text' });
    const image = root.querySelector('img[src]');
    if (image) fields.push({ name: 'image', selector: relPath(root, image), attribute: 'src' });
    const addToCart = [...document.querySelectorAll('button, input[type=submit], [role=button]')].some((b) => /add to (cart|bag|basket)|buy now/i.test(norm(b.textContent || b.value)));
    return { selector: rootSelector(root), fields, productLike: schema || addToCart };
  }

  window.__navisDiscovery = {
    facts(cssList) {
      const controls = {};
      for (const css of cssList) {
        const el = document.querySelector(css);
        if (el && el.matches('input, select, textarea, button, [role=button]')) controls[css] = control(el);
      }
      const forms = [...document.forms].map((f, index) => {
        const legend = f.querySelector('legend');
        const out = { index, action: f.action, method: (f.getAttribute('method') || 'get').toLowerCase() };
        if (f.id) out.id = f.id;
        if (f.getAttribute('name')) out.name = f.getAttribute('name');
        const label = norm(f.getAttribute('aria-label')) || (legend && norm(legend.textContent)) || headingBefore(f);
        if (label) out.label = label;
        const selector = formSelector(f);
        if (selector) out.selector = selector;
        return out;
      });
      const headings = [...document.querySelectorAll('h1, h2, h3')].filter((h) => !h.closest(LANDMARK)).slice(0, 10)
        .map((h) => ({ level: Number(h.tagName[1]), text: norm(h.textContent).slice(0, 200) })).filter((h) => h.text);
      const found = lists();
      const listRoots = found.map((l) => document.querySelector(l.itemSelector)).filter(Boolean).map((item) => item.parentElement);
      return { headings, forms, controls, lists: found, record: record(listRoots) };
    },
  };
})()
`;

/** The facts of the page's current document, for the elements of `snapshot`. */
export async function readPageFacts(page: Page, snapshot: PageSnapshot): Promise<PageFacts> {
  await page.evaluate(FACTS_SCRIPT);
  const cssList = snapshot.elements.map((e) => e.css);
  return page.evaluate<PageFacts>(`window.__navisDiscovery.facts(${JSON.stringify(cssList)})`);
}
