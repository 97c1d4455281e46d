// Reading one thing of a list, card or table (issue 12, "extraction reads what was named, or
// fails"): "the price of Green Kettle" (a field in the item of the thing named), "the product
// names" (each item's name, not the list's heading), "the status message" (the page's status or
// alert region). Items are told apart by the snapshot's CSS paths: an element sits in an item when
// the item's path is a prefix of its own. What cannot be found is a failure naming it.
import type { Action } from '../../actions/schemas.js';
import { targetOf } from '../targets.js';
import type { ElementInfo } from '../types.js';
import type { ExtractWhat } from './intents.js';
import type { Plan, PlanContext } from './locate.js';
import { normalize } from './text.js';

type Read = (step: Action, reading?: Extract<Plan, { kind: 'step' }>['reading']) => Plan;

const PRICE = /(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:[.,]\d{2})\s?(?:€|£|USD|EUR|GBP))/;
const PRICE_WORDS = /^(?:price|cost|amount|total|subtotal)$/;
const fail = (error: string): Plan => ({ kind: 'fail', error });

const within = (item: ElementInfo, el: ElementInfo) => el.css.startsWith(`${item.css} > `);
const isItem = (el: ElementInfo) =>
  ['listitem', 'row', 'article'].includes(el.role) || ['li', 'tr', 'article'].includes(el.tag);
const words = (el: ElementInfo) => normalize(el.name || el.text || '');
const parentCss = (css: string) => css.split(' > ').slice(0, -1).join(' > ');
const position = (css: string) => /:nth-of-type\((\d+)\)$/.exec(css)?.[1] ?? '1';

/** "the X of Y": X in the table row or the card of the element named Y. */
export function planField(what: Extract<ExtractWhat, { kind: 'field' }>, ctx: PlanContext, read: Read): Plan {
  const { field, of } = what;
  const elements = ctx.page.elements.filter((el) => el.visible);
  const named = normalize(of);
  const anchors = elements.filter((el) => words(el) === named);
  const anchor =
    anchors.find((el) => !isItem(el)) ?? anchors[0] ?? elements.find((el) => !isItem(el) && words(el).includes(named));
  if (!anchor) return fail(`could not find "${of}" on the page to read its ${field}`);
  const wanted = normalize(field);

  // A table row: the cell under the column header named like the field.
  if (anchor.tag === 'td' || anchor.tag === 'th') {
    const header = elements.find((el) => el.role === 'columnheader' && words(el) === wanted);
    if (header) {
      const cell = elements.find(
        (el) => el.css === `${parentCss(anchor.css)} > td:nth-of-type(${position(header.css)})`,
      );
      if (cell)
        return read(
          { type: 'extract', target: targetOf(cell), description: what.description },
          { fallback: cell.text },
        );
    }
  }
  // A card or list item: the element in it whose test id, label or name says the field, or a price.
  const item =
    elements.filter((el) => isItem(el) && within(el, anchor)).sort((a, b) => b.css.length - a.css.length)[0] ??
    ({ css: parentCss(anchor.css) } as ElementInfo);
  const inside = elements.filter((el) => el !== anchor && within(item, el) && !isItem(el));
  const found =
    inside.find((el) => [el.testId, el.label].some((s) => s && normalize(s).includes(wanted))) ??
    (PRICE_WORDS.test(wanted) ? inside.find((el) => PRICE.test(el.text ?? '')) : undefined);
  if (found) {
    const value = found.text ?? found.value ?? found.name;
    return read({ type: 'extract', target: targetOf(found), description: what.description }, { fallback: value });
  }
  const price = PRICE_WORDS.test(wanted) ? PRICE.exec(item.text ?? '')?.[0] : undefined;
  if (price && item.role)
    return read({ type: 'extract', target: targetOf(item), description: what.description }, { keepLines: [price] });
  return fail(`found "${of}" but no ${field} next to it on the page`);
}

/** "the product names": each list item's or table row's name, in page order, one per line. */
export function planNames(
  what: Extract<ExtractWhat, { kind: 'names' }>,
  ctx: PlanContext,
  read: Read,
): Plan | undefined {
  const elements = ctx.page.elements.filter((el) => el.visible);
  const items = elements.filter(isItem);
  const names: ElementInfo[] = [];
  for (const item of items) {
    const inside = elements.filter((el) => within(item, el));
    const name =
      inside.find((el) => el.role === 'heading') ?? inside.find((el) => el.tag === 'td' && position(el.css) === '1');
    if (name && !names.includes(name)) names.push(name);
  }
  if (names.length < 2) return undefined;
  const paths = names.map((el) => el.css.split(' > '));
  let shared = 0;
  while (paths.every((parts) => parts[shared] !== undefined && parts[shared] === paths[0][shared])) shared++;
  const common = paths[0].slice(0, shared);
  const texts = names.map((el) => el.text ?? el.name);
  const target = common.length ? { css: common.join(' > ') } : undefined;
  return read(
    { type: 'extract', ...(target ? { target } : {}), description: what.description },
    { keepLines: texts, fallback: texts.join('\n') },
  );
}

/** "the status message", "the error": the page's role=status or role=alert region that says something. */
export function planStatus(what: Extract<ExtractWhat, { kind: 'status' }>, ctx: PlanContext, read: Read): Plan {
  const regions = ctx.page.elements.filter(
    (el) => el.visible && ['status', 'alert', 'alertdialog'].includes(el.role) && (el.text ?? el.name),
  );
  const alertFirst = /error|alert/i.test(what.description);
  const region = regions.find((el) => (el.role === 'status') !== alertFirst) ?? regions[0];
  if (!region) return fail(`there is no ${what.description} on the page`);
  return read({ type: 'extract', target: targetOf(region), description: what.description }, { fallback: region.text });
}
