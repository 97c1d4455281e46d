// The rule planner's words about the page: an element's name as a person reads it ("Title"),
// and what the page offers instead when a target is not found (`buttons on the page: "Submit",
// "Cancel"`), so a failed instruction can be fixed without opening the page.
import type { ElementInfo } from '../types.js';
import { isCheckable, isDropdown, isField, type Purpose } from './match.js';
import { cleanName } from './text.js';

const MAX_LISTED = 10;

/** The name an element goes by in results and messages: label, name, placeholder, text… */
export function displayName(el: ElementInfo): string {
  return cleanName(el.label || el.name || el.placeholder || el.text || el.testId || el.role).slice(0, 80);
}

export const quote = (text: string) => `"${text}"`;

function listing(label: string, elements: ElementInfo[], withOptions = false): string | undefined {
  const names = [
    ...new Set(
      elements.map(
        (el) =>
          quote(displayName(el)) +
          (withOptions && el.options?.length
            ? ` (${el.options.slice(0, 6).join(', ')}${el.options.length > 6 ? ', …' : ''})`
            : ''),
      ),
    ),
  ];
  if (!names.length) return undefined;
  return `${label}: ${names.slice(0, MAX_LISTED).join(', ')}${names.length > MAX_LISTED ? ', …' : ''}`;
}

/** What the page offers for a purpose, most relevant kind first: `buttons on the page: "Submit", "Cancel"; links: "Home"`. */
export function offered(elements: ElementInfo[], purpose: Purpose): string {
  const shown = elements.filter((el) => el.visible);
  const of = (role: string) => shown.filter((el) => el.role === role);
  const groups: [string, ElementInfo[], boolean?][] =
    purpose === 'type'
      ? [
          ['text fields', shown.filter(isField)],
          ['dropdowns', shown.filter(isDropdown).filter((el) => !isField(el)), true],
        ]
      : purpose === 'select'
        ? [
            ['dropdowns', shown.filter(isDropdown), true],
            ['text fields', shown.filter((el) => isField(el) && !isDropdown(el))],
          ]
        : purpose === 'check'
          ? [['checkboxes', shown.filter(isCheckable)]]
          : purpose === 'open'
            ? [
                ['links', of('link')],
                ['buttons', of('button')],
              ]
            : [
                ['buttons', of('button')],
                ['links', of('link')],
                ['tabs', of('tab')],
                ['menu items', shown.filter((el) => el.role.startsWith('menuitem'))],
              ];
  const parts = groups
    .map(([label, els, options]) => listing(label, els, options))
    .filter((part): part is string => !!part);
  if (!parts.length) return `the page has no ${groups[0][0]}`;
  parts[0] = parts[0].replace(/^([^:]+):/, '$1 on the page:');
  return parts.join('; ');
}
