// A planned step's target from a snapshot element (finding it again is actions/targets.ts), and
// the planners' words for the kinds of click.
import type { ActionOf, Target } from '../actions/schemas.js';
import type { ElementInfo } from './types.js';

/** A click other than a plain left click: "double-click X", "right-click X". */
export type ClickHow = 'double' | 'right';

export function targetOf(element: ElementInfo): Target {
  const target: Target = { css: element.css };
  if (element.role && element.role !== 'generic') target.role = element.role;
  if (element.name) target.name = element.name;
  if (element.label) target.label = element.label;
  if (element.placeholder) target.placeholder = element.placeholder;
  if (element.text && element.text.length <= 80) target.text = element.text;
  if (element.testId) target.testId = element.testId;
  return target;
}

/** A double or right click as a click action's fields. */
export function clickFields(how: ClickHow | undefined): Pick<ActionOf<'click'>, 'clickCount' | 'button'> {
  return how === 'double' ? { clickCount: 2 } : how === 'right' ? { button: 'right' } : {};
}

/** Which kind of click a click action is, in the planners' words. */
export function howClicked(step: ActionOf<'click'>): ClickHow | undefined {
  return step.clickCount === 2 ? 'double' : step.button === 'right' ? 'right' : undefined;
}

/** "clicked", "double-clicked", "right-clicked": for summaries. */
export function clickedWord(how: ClickHow | undefined): string {
  return how ? `${how}-clicked` : 'clicked';
}
