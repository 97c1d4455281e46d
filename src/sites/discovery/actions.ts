// A page's actions: each form becomes a submit action (a step per field with an {{input}}
// template, then a click on its submit button), each prominent button outside the forms' submit
// buttons a click action. Selectors prefer #id, [data-testid] and [name=…] over the snapshot's
// CSS path. What submits, buys, deletes or sends is marked destructive.
import type { Action } from '../../actions/schemas.js';
import type { ElementInfo } from '../../agent/types.js';
import type { SiteInput } from '../manifest.js';
import { clickActionName, formActionName, inputName, unique } from './naming.js';
import type { ControlFacts, CrawledPage, DraftAction, FormFacts } from './types.js';

/** seed 002: "Make sure you understand what an action does": these are not tried by discovery. */
const DESTRUCTIVE =
  /\b(delete|remove|pay|buy|checkout|check out|order|send|unsubscribe|purchase|destroy|transfer|cancel|log ?out|sign ?out)\b/i;
const NOT_FIELDS = new Set(['submit', 'reset', 'button', 'image', 'hidden']);
const MAX_BUTTONS = 15;
/** ManifestSchema's bounds: inputs per action, enum values, steps, description length. */
const MAX_FIELDS = 90;
const MAX_ENUM = 500;
const MAX_TEXT = 300;
const clip = (text: string | undefined, max = MAX_TEXT) =>
  text && text.length > max ? `${text.slice(0, max - 1)}…` : text;

interface Control {
  element: ElementInfo;
  facts: ControlFacts;
}

export const isDestructive = (...texts: Array<string | undefined>) =>
  texts.some((t) => t !== undefined && DESTRUCTIVE.test(t.replace(/[-_]/g, ' ')));

/** The actions found on `page`; `urlInputs` (the state URL's {{variables}}, with this page's values) come first in each. */
export function actionsOf(page: CrawledPage, urlInputs: Record<string, string>, templateUrl: string): DraftAction[] {
  const controls: Control[] = page.snapshot.elements
    .filter((element) => page.facts.controls[element.css] && element.visible && !element.disabled)
    .map((element) => ({ element, facts: page.facts.controls[element.css] }));
  const selectorOf = (c: Control) => c.facts.selectors[0] ?? page.roleSelectors[c.element.css] ?? c.element.css;
  const taken = new Set<string>();
  const drafts: DraftAction[] = [];

  for (const form of page.facts.forms) {
    const mine = controls.filter((c) => c.facts.formIndex === form.index);
    const submit = mine.find((c) => c.facts.isSubmit);
    const fields = mine
      .filter((c) => ['input', 'select', 'textarea'].includes(c.facts.tag) && !NOT_FIELDS.has(c.facts.type))
      .slice(0, MAX_FIELDS);
    if (!submit && fields.length === 0) continue;
    const draft = formAction(
      form,
      fields,
      submit && { ...submit, selector: selectorOf(submit) },
      page.url,
      urlInputs,
      templateUrl,
    );
    draft.action.name = unique(draft.action.name, taken, '_');
    drafts.push(draft);
  }

  const seen = new Set<string>();
  for (const c of controls) {
    const { element, facts } = c;
    if (
      element.role !== 'button' ||
      element.tag === 'a' ||
      facts.isSubmit ||
      facts.type === 'reset' ||
      facts.inLandmark ||
      !element.name
    )
      continue;
    if (['input', 'select', 'textarea'].includes(facts.tag) && facts.type !== 'button') continue; // file and colour inputs are fields
    if (seen.has(element.name.toLowerCase()) || seen.size >= MAX_BUTTONS) continue;
    seen.add(element.name.toLowerCase());
    drafts.push({
      kind: 'click',
      label: element.name,
      samples: { ...urlInputs },
      needsFile: false,
      action: {
        name: unique(clickActionName(element.name), taken, '_'),
        description: `Clicks "${clip(element.name)}".`,
        inputs: urlInputList(urlInputs, templateUrl),
        steps: [{ type: 'click', selector: selectorOf(c) }],
        ...(isDestructive(element.name) ? { destructive: true } : {}),
      },
    });
  }
  return drafts;
}

function urlInputList(urlInputs: Record<string, string>, templateUrl: string): SiteInput[] {
  return Object.keys(urlInputs).map((name) => ({
    name,
    type: 'string',
    required: true,
    description: `Part of the page URL ${templateUrl}, e.g. ${urlInputs[name]}`,
  }));
}

function formAction(
  form: FormFacts,
  fields: Control[],
  submit: (Control & { selector: string }) | undefined,
  pageUrl: string,
  urlInputs: Record<string, string>,
  templateUrl: string,
): DraftAction {
  const inputs: SiteInput[] = urlInputList(urlInputs, templateUrl);
  const names = new Set(Object.keys(urlInputs));
  const samples: Record<string, string> = { ...urlInputs };
  const steps: Action[] = [];
  const radioGroups = new Set<string>();
  let needsFile = false;

  fields.forEach((field, i) => {
    const { element, facts } = field;
    const selector = facts.selectors[0] ?? element.css;
    const description = clip(element.label || element.placeholder || facts.groupLabel || element.name || undefined);
    if (facts.type === 'checkbox' && facts.required) {
      steps.push({ type: 'check', selector, checked: true });
      return;
    }
    if (facts.type === 'radio') {
      if (!facts.nameAttr || radioGroups.has(facts.nameAttr)) return;
      radioGroups.add(facts.nameAttr);
      const values = fields
        .filter((f) => f.facts.type === 'radio' && f.facts.nameAttr === facts.nameAttr)
        .map((f) => f.facts.value ?? 'on');
      const name = unique(inputName({ nameAttr: facts.nameAttr }, i), names, '_');
      inputs.push({
        name,
        type: 'string',
        required: facts.required,
        description: clip(facts.groupLabel) ?? description,
        enum: values.slice(0, MAX_ENUM),
      });
      samples[name] = values[0];
      const scope = form.selector ? `${form.selector} ` : '';
      steps.push({
        type: 'check',
        selector: `${scope}input[type=radio][name=${JSON.stringify(facts.nameAttr)}][value="{{${name}}}"]`,
      });
      return;
    }
    const name = unique(
      inputName(
        {
          nameAttr: facts.nameAttr,
          id: selector.startsWith('#') ? selector.slice(1) : undefined,
          label: element.label,
        },
        i,
      ),
      names,
      '_',
    );
    const template = `{{${name}}}`;
    if (facts.type === 'checkbox') {
      inputs.push({ name, type: 'boolean', required: false, description, default: element.checked === true });
      samples[name] = 'true';
      // A check step's `checked` is a boolean and cannot hold {{input}}: the script clicks the box when it differs.
      steps.push({
        type: 'evaluate',
        script: `const box = document.querySelector(${JSON.stringify(selector)}); if (box.checked !== ('${template}' === 'true')) box.click();`,
      });
    } else if (facts.tag === 'select') {
      const options = (facts.options ?? []).filter(
        (o) => o.value !== '' || (facts.options ?? []).every((x) => x.value === ''),
      );
      const labels = options.map((o) => o.label);
      const current = element.value && labels.includes(element.value) ? element.value : undefined;
      const choice = labels.length > 0 && labels.length <= MAX_ENUM;
      inputs.push({
        name,
        type: 'string',
        required: facts.required,
        description,
        ...(choice ? { enum: labels } : {}),
        ...(current !== undefined ? { default: current } : {}),
      });
      samples[name] = current ?? labels[0] ?? '';
      steps.push({ type: 'select', selector, text: template });
    } else if (facts.type === 'file') {
      needsFile = true;
      inputs.push({
        name,
        type: 'string',
        required: facts.required,
        description: `${description ?? name}: the name of a file uploaded to the session`,
      });
      steps.push({ type: 'uploadFile', selector, filename: template });
    } else {
      const numeric = facts.type === 'number' || facts.type === 'range';
      const value = facts.type === 'password' ? undefined : element.value || undefined;
      const fallback =
        numeric && value !== undefined && Number.isFinite(Number(value)) ? Number(value) : !numeric ? value : undefined;
      inputs.push({
        name,
        type: numeric ? 'number' : 'string',
        required: facts.required,
        description,
        ...(fallback !== undefined ? { default: fallback } : {}),
      });
      samples[name] = sampleText(name, facts, value);
      steps.push({ type: 'type', selector, text: template });
    }
  });

  const submitText = submit?.element.name ?? '';
  if (submit) steps.push({ type: 'click', selector: submit.selector });
  else {
    const last = [...steps].reverse().find((s) => s.type === 'type');
    steps.push({ type: 'press', key: 'Enter', ...(last && 'selector' in last ? { selector: last.selector } : {}) });
  }
  const fieldNames = inputs.filter((input) => !(input.name in urlInputs)).map((input) => input.name);
  // A heading above the form names it, unless it repeats the button or is one record's (a product's).
  const formWords =
    Object.keys(urlInputs).length || form.label?.toLowerCase() === submitText.toLowerCase() ? undefined : form.label;
  return {
    kind: 'submit',
    label: submitText || form.label || form.id || 'form',
    samples,
    needsFile,
    action: {
      name: formActionName(submitText, {
        identity: form.id ?? form.name ?? submitsTo(form, pageUrl),
        label: form.label,
      }),
      description: clip(
        `Fills and submits the ${submitText ? `"${clip(submitText, 100)}" ` : ''}form${formWords ? ` (${clip(formWords, 100)})` : ''}${fieldNames.length ? ` with ${fieldNames.join(', ')}` : ''}.`,
        2000,
      ),
      inputs,
      steps,
      ...(isDestructive(submitText, new URL(form.action).pathname, form.id, form.name) ? { destructive: true } : {}),
    },
  };
}

/** The last path segment of where the form submits, when that is another page: `/newsletter` → newsletter. */
function submitsTo(form: FormFacts, pageUrl: string): string | undefined {
  const target = new URL(form.action).pathname;
  return target === new URL(pageUrl).pathname
    ? undefined
    : target
        .split('/')
        .filter(Boolean)
        .at(-1)
        ?.replace(/\.[a-z0-9]{1,5}$/i, '');
}

/** A plausible value to try a field with once: its own value, else one its type and name accept. */
function sampleText(name: string, facts: ControlFacts, value: string | undefined): string {
  if (value) return value;
  if (facts.type === 'email' || /e-?mail/i.test(name)) return 'user@example.com';
  if (facts.type === 'number' || facts.type === 'range')
    return facts.min && Number.isFinite(Number(facts.min)) ? facts.min : '1';
  if (facts.type === 'url') return 'https://example.com';
  if (facts.type === 'tel' || /phone|tel/i.test(name)) return '5555550100';
  if (facts.type === 'date') return '2024-01-01';
  if (facts.type === 'password') return 'test-password';
  return 'test';
}
