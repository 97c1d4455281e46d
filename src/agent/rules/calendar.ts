// A date for a field that takes no typing (readonly, filled by its calendar widget, as jQuery UI's
// datepicker and many others do): open the calendar by clicking the field, step the shown month
// with its Prev/Next controls until it is the wanted one, then click the day. The shown month is
// read from the page's text ("December 2016"); one step per planning round, so every click is
// checked against a fresh snapshot.
import { targetOf } from '../targets.js';
import type { ElementInfo } from '../types.js';
import { displayName } from './describe.js';
import type { Plan, PlanContext } from './locate.js';
import { MONTHS } from './values.js';

const SHOWN_MONTH = new RegExp(`\\b(${MONTHS.join('|')})\\s+(\\d{4})\\b`, 'i');
const NEXT = /^(?:next|next month|›|»|>|→|▶)$/i;
const PREV = /^(?:prev|previous|previous month|‹|«|<|←|◀)$/i;

const fail = (error: string): Plan => ({ kind: 'fail', error });
const click = (el: ElementInfo, summary: string, effect: 'advance' | 'item' | 'explore'): Plan => ({
  kind: 'step',
  step: { type: 'click', target: targetOf(el) },
  summary,
  effect,
});

/** The step towards `date` in the calendar of `field` (ctx.item 0: the calendar is not open yet). */
export function planCalendar(field: ElementInfo, date: Date, ctx: PlanContext): Plan {
  const wanted = `${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
  if (ctx.item === 0) return click(field, `opened the calendar of ${displayName(field)}`, 'item');
  const shown = SHOWN_MONTH.exec(ctx.page.text);
  if (!shown)
    return fail(`clicked ${displayName(field)} but no calendar showing a month appeared to pick ${wanted} from`);
  const at = Number(shown[2]) * 12 + MONTHS.indexOf(shown[1].toLowerCase());
  const target = date.getFullYear() * 12 + date.getMonth();
  const visible = ctx.page.elements.filter((el) => el.visible && !el.disabled);
  if (at === target) {
    const day = String(date.getDate());
    const cell = visible.find(
      (el) =>
        (el.name === day || el.text === day) && (['link', 'button', 'gridcell'].includes(el.role) || el.clickable),
    );
    if (!cell) return fail(`the calendar shows ${shown[0]} but day ${day} cannot be picked there`);
    return click(cell, `picked ${date.getDate()} ${shown[0]} in the calendar`, 'advance');
  }
  const words = (el: ElementInfo) => [el.name, el.text, el.classes ?? ''].map((w) => (w ?? '').trim());
  const forward = target > at;
  const arrow = visible.find((el) =>
    words(el).some(
      (w) => (forward ? NEXT : PREV).test(w) || (w.includes(forward ? 'next' : 'prev') && w === el.classes),
    ),
  );
  if (!arrow)
    return fail(
      `the calendar shows ${shown[0]}, not ${wanted}, and has no ${forward ? 'next' : 'previous'} month control`,
    );
  return click(arrow, `went to the ${forward ? 'next' : 'previous'} month`, 'explore');
}
