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
    const style = getComputedStyle(el);
    // An icon drawn from an image that is still loading (content: url(…)) has no size yet, but will.
    if (rect.width === 0 && rect.height === 0 && !(style.content || '').startsWith('url(')) return false;
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
  // Words of an element's class names and id ("btn-trash" → "btn trash"): what names an icon that has no text.
  function classWords(el) {
    const cls = (el.getAttribute('class') || '').split(/\s+/).filter((c) => c && !/^(?:ng-|css-|sc-|jsx-|svelte-)|\d{3,}/.test(c));
    return norm([...cls.slice(0, 4), el.id || ''].join(' ').replace(/[-_]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2')).toLowerCase();
  }
  // Something a page made clickable without saying so: an onclick, the outermost element with a
  // pointer cursor, or a small icon without text (a trash can, a star) named by its class.
  const PLAIN = new Set(['span', 'div', 'i', 'img', 'svg', 'p', 'em', 'b', 'strong', 'font', 'small', 'u', 'a']);
  function looksClickable(el) {
    const tag = el.tagName.toLowerCase();
    if (!PLAIN.has(tag) || el.children.length > 3) return false;
    if (el.hasAttribute('onclick') || el.matches('[data-handler], [data-action], [ng-click], [data-toggle], [data-bs-toggle]')) return true;
    // An anchor without an address is there for a script to handle its clicks.
    if (tag === 'a' && (norm(el.textContent) || el.title)) return true;
    const style = getComputedStyle(el);
    if (style.cursor === 'pointer') {
      const parent = el.parentElement;
      if (!parent || getComputedStyle(parent).cursor !== 'pointer') return true;
      // One of several labelled parts of a clickable bar ("Reply", "Forward"): each its own target.
      const own = norm(el.textContent);
      if (own && own.length <= 40 && own !== norm(parent.textContent) && !el.closest('a, button, [role=button], [role=link], label')) return true;
    }
    if (el.children.length || norm(el.textContent) || !classWords(el)) return false;
    const rect = el.getBoundingClientRect();
    return rect.width <= 48 && rect.height <= 48 && (rect.width > 0 || (style.content || '').startsWith('url('));
  }
  // The item of a list, table or grid an element sits in (the nearest ancestor with a sibling of the
  // same kind): its text lets "the Delete button in the row for Marta" find the right button.
  function itemAround(el) {
    let node = el.parentElement;
    for (let depth = 0; node && node.parentElement && node !== document.body && depth < 6; depth++, node = node.parentElement) {
      const parent = node.parentElement;
      const alike = [...parent.children].filter((c) => c !== node && c.tagName === node.tagName && c.className === node.className);
      if (alike.length) return node;
    }
    return undefined;
  }
  const INTERESTING = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role], [tabindex]:not([tabindex="-1"]), [contenteditable=""], [contenteditable=true], h1, h2, h3, h4, h5, h6, li, td, th, label, img[alt], [data-testid], [aria-expanded], [aria-haspopup]';
  const VALUE_MAX = 2000;
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
    if ((tag === 'input' || tag === 'textarea') && out.inputType !== 'password' && !['checkbox', 'radio'].includes(out.inputType)) out.value = el.value.length <= VALUE_MAX ? el.value : short(el.value, VALUE_MAX); // as typed: a copy keeps every space
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
    if (el.readOnly) out.readonly = true;
    if (el === document.activeElement && el !== document.body) out.focused = true;
    const popup = el.getAttribute('aria-haspopup');
    if (popup && popup !== 'false') out.hasPopup = true;
    const words = classWords(el);
    if (words) out.classes = words;
    const item = itemAround(el);
    if (item) { const context = short(textOf(item), 300); if (context && context !== out.text) out.context = context; }
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
      const refs = new Map();
      const elements = [];
      for (const el of document.body ? document.body.querySelectorAll('*') : []) {
        if (seen.has(el)) continue;
        seen.add(el);
        const interesting = el.matches(INTERESTING);
        const clickable = !interesting && looksClickable(el);
        if (!interesting && !clickable) continue;
        const item = info(el, 'e' + elements.length);
        if (clickable) item.clickable = true;
        else if (item.role === 'generic' && !item.testId && !el.matches('[tabindex], [contenteditable]')) continue;
        for (let up = el.parentElement; up; up = up.parentElement) {
          const ref = refs.get(up);
          if (ref) { item.parent = ref; break; }
        }
        if (!item.visible && !item.clickable && !['button', 'link', 'tab', 'menuitem', 'treeitem', 'checkbox', 'radio', 'textbox', 'combobox', 'listitem', 'option'].includes(item.role)) continue;
        refs.set(el, item.ref);
        elements.push(item);
        if (elements.length >= limit) break;
      }
      // The visible text line by line (blank lines dropped): a paragraph stays a line of its own.
      const lines = (document.body ? document.body.innerText : '').split('\n').map(norm).filter(Boolean).join('\n');
      return { url: location.href, title: document.title, elements, text: lines.length > 6000 ? lines.slice(0, 5999) + '…' : lines };
    },
    place(el, matches) { return { nth: matches.indexOf(el), count: matches.length, item: itemOf(el, matches) }; },
    describe(el) { return { role: roleOf(el), name: nameOf(el), visible: isVisible(el), checked: el.checked, tag: el.tagName.toLowerCase() }; },
  };
})()
`;
