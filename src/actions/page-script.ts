// The script navis installs in a page to see it as a planner does (agent/snapshot.ts) and to verify
// a replayed target (targets.ts): elements with their ARIA role, accessible name (a practical subset
// of the W3C accname rules), label, text, value and a CSS path.
// Kept as plain JavaScript text so no TypeScript tooling rewrites it on its way into the page.
export const PAGE_SCRIPT = String.raw`
(() => {
  if (window.__navis) return;
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const short = (s, n) => { s = norm(s); return s.length > n ? s.slice(0, n - 1) + '…' : s; };
  const INPUT_ROLES = { button: 'button', submit: 'button', reset: 'button', image: 'button', checkbox: 'checkbox', radio: 'radio',
    range: 'slider', search: 'searchbox', number: 'spinbutton', email: 'textbox', tel: 'textbox', text: 'textbox', url: 'textbox',
    password: 'textbox', date: 'textbox', time: 'textbox', 'datetime-local': 'textbox', month: 'textbox', week: 'textbox', color: 'button', file: 'button' };
  function roleOf(el) {
    const explicit = (el.getAttribute('role') || '').split(' ')[0];
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : 'generic';
    if (tag === 'button' || tag === 'summary') return 'button';
    if (tag === 'input') return INPUT_ROLES[(el.getAttribute('type') || 'text').toLowerCase()] || 'textbox';
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'textarea') return 'textbox';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'li') return 'listitem';
    if (tag === 'option') return 'option';
    if (tag === 'img') return 'img';
    if (tag === 'td') return 'cell';
    if (tag === 'th') return 'columnheader';
    if (tag === 'tr') return 'row';
    if (tag === 'dialog') return 'dialog';
    if (tag === 'details') return 'group';
    if (el.isContentEditable) return 'textbox';
    return 'generic';
  }
  // innerText is '' for what is not rendered (a closed <details>): fall back to the DOM text then.
  function textOf(el) { return norm((el.innerText !== undefined && norm(el.innerText)) || el.textContent); }
  // A label's own words: the text of controls inside it (a wrapped <select>'s options) is not part of it.
  function labelText(label) {
    const copy = label.cloneNode(true);
    copy.querySelectorAll('input, select, textarea, button, option').forEach((n) => n.remove());
    return norm(copy.textContent);
  }
  function labelOf(el) {
    if (el.labels && el.labels.length) return norm([...el.labels].map(labelText).join(' '));
    const wrap = el.closest('label');
    return wrap ? labelText(wrap) : '';
  }
  function nameOf(el) {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const text = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map((n) => textOf(n)).join(' ');
      if (norm(text)) return norm(text);
    }
    const aria = el.getAttribute('aria-label');
    if (norm(aria)) return norm(aria);
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'input' && ['button', 'submit', 'reset'].includes(type)) return norm(el.value) || (type === 'submit' ? 'Submit' : type === 'reset' ? 'Reset' : '');
    if (tag === 'input' && type === 'image') return norm(el.getAttribute('alt'));
    if (['input', 'select', 'textarea'].includes(tag)) {
      return labelOf(el) || norm(el.getAttribute('title')) || norm(el.getAttribute('placeholder'));
    }
    if (tag === 'img') return norm(el.getAttribute('alt')) || norm(el.getAttribute('title'));
    const text = textOf(el);
    return short(text || el.getAttribute('title') || '', 120);
  }
  function isVisible(el) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
    const closedDetails = el.closest('details:not([open])');
    if (closedDetails && !el.closest('summary')) return false;
    return true;
  }
  const cssEscape = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^a-zA-Z0-9_-]/g, (c) => '\\' + c));
  function cssOf(el) {
    const parts = [];
    let node = el;
    while (node && node.nodeType === 1 && node !== document.documentElement) {
      if (node.id && document.querySelectorAll('#' + cssEscape(node.id)).length === 1) { parts.unshift('#' + cssEscape(node.id)); break; }
      const tag = node.tagName.toLowerCase();
      const parent = node.parentElement;
      if (!parent) { parts.unshift(tag); break; }
      const same = [...parent.children].filter((c) => c.tagName === node.tagName);
      parts.unshift(same.length > 1 ? tag + ':nth-of-type(' + (same.indexOf(node) + 1) + ')' : tag);
      node = parent;
    }
    return parts.join(' > ');
  }
  const INTERESTING = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role], [tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable=true], h1, h2, h3, h4, h5, h6, li, td, th, label, img[alt], [data-testid], [aria-expanded], [aria-haspopup]';
  function info(el, ref) {
    const tag = el.tagName.toLowerCase();
    const role = roleOf(el);
    const out = { ref, role, name: nameOf(el), tag, css: cssOf(el), visible: isVisible(el) };
    if (tag === 'input') out.inputType = (el.getAttribute('type') || 'text').toLowerCase();
    const label = ['input', 'select', 'textarea'].includes(tag) ? labelOf(el) : '';
    if (label) out.label = label;
    const placeholder = el.getAttribute('placeholder');
    if (placeholder) out.placeholder = norm(placeholder);
    if (!['input', 'select', 'textarea'].includes(tag)) { const t = short(textOf(el), 160); if (t) out.text = t; }
    if ((tag === 'input' || tag === 'textarea') && out.inputType !== 'password' && !['checkbox', 'radio'].includes(out.inputType)) out.value = short(el.value, 200);
    if (tag === 'select') { out.options = [...el.options].map((o) => norm(o.label || o.text)); const s = el.options[el.selectedIndex]; out.value = s ? norm(s.label || s.text) : ''; }
    if (el.href && tag === 'a') out.href = el.getAttribute('href');
    const testId = el.getAttribute('data-testid') || el.getAttribute('data-test') || el.getAttribute('data-qa');
    if (testId) out.testId = testId;
    if (['checkbox', 'radio', 'switch', 'menuitemcheckbox'].includes(role)) out.checked = el.checked !== undefined ? !!el.checked : el.getAttribute('aria-checked') === 'true';
    const expanded = el.getAttribute('aria-expanded');
    if (expanded !== null) out.expanded = expanded === 'true';
    else if (tag === 'summary' && el.parentElement && el.parentElement.tagName === 'DETAILS') out.expanded = el.parentElement.open;
    const selected = el.getAttribute('aria-selected');
    if (selected !== null) out.selected = selected === 'true';
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') out.disabled = true;
    if (el === document.activeElement && el !== document.body) out.focused = true;
    const popup = el.getAttribute('aria-haspopup');
    if (popup && popup !== 'false') out.hasPopup = true;
    return out;
  }
  // The list item, table row or card an element sits in: its largest ancestor holding none of the
  // other matches (the other "Add to cart" buttons). Named by its heading, first cell or first words.
  function itemOf(el, matches) {
    let item = null;
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (matches.some((other) => other !== el && node.contains(other))) break;
      item = node;
    }
    if (!item) return '';
    const row = item.closest('tr, [role=row]') || (item.matches('tr, [role=row]') ? item : null);
    const cells = row && item.contains(row) ? [...row.querySelectorAll('td, th, [role=cell], [role=gridcell]')] : [];
    const cell = cells.find((c) => !c.contains(el) && norm(textOf(c)));
    if (cell) return short(textOf(cell), 80);
    const heading = item.querySelector('h1, h2, h3, h4, h5, h6, [role=heading], strong, b, [class*=name], [class*=title]');
    if (heading && !heading.contains(el) && norm(textOf(heading))) return short(textOf(heading), 80);
    const own = textOf(el);
    const line = (item.innerText || item.textContent || '').split(/\n/).map(norm).find((l) => l && l !== own);
    return short(line || '', 80);
  }
  window.__navis = {
    snapshot(limit) {
      const seen = new Set();
      const elements = [];
      for (const el of document.querySelectorAll(INTERESTING)) {
        if (seen.has(el)) continue;
        seen.add(el);
        const item = info(el, 'e' + elements.length);
        if (item.role === 'generic' && !item.testId && !el.matches('[tabindex], [contenteditable]')) continue;
        if (!item.visible && !['button', 'link', 'tab', 'menuitem', 'treeitem', 'checkbox', 'radio', 'textbox', 'combobox'].includes(item.role)) continue;
        elements.push(item);
        if (elements.length >= limit) break;
      }
      return { url: location.href, title: document.title, elements, text: short(document.body ? document.body.innerText : '', 6000) };
    },
    place(el, matches) { return { nth: matches.indexOf(el), count: matches.length, item: itemOf(el, matches) }; },
    describe(el) { return { role: roleOf(el), name: nameOf(el), visible: isVisible(el), checked: el.checked, tag: el.tagName.toLowerCase() }; },
  };
})()
`;
