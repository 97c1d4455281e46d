// Reads a manifest view off a settled page: a list (one object per element matching the view's
// selector) or a record (one object from its root element). Each field reads the element's text
// (innerText, trimmed), its value, its href (absolute) or any attribute; null when absent.
import { withDeadline } from '../browsers/deadline.js';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import type { SiteView } from './manifest.js';

export type ViewRecord = Record<string, string | null>;
export type ViewData = { items: ViewRecord[] } | { record: ViewRecord };

/** How long a record view waits for its root element to appear after the page settled. */
const RECORD_ROOT_TIMEOUT_MS = 5_000;
const READ_TIMEOUT_MS = 10_000;

export async function readView(page: Page, view: SiteView): Promise<ViewData> {
  if (view.kind === 'record') {
    await page
      .locator(view.selector)
      .first()
      .waitFor({ state: 'attached', timeout: RECORD_ROOT_TIMEOUT_MS })
      .catch((error: Error) => {
        if (error.name !== 'TimeoutError') throw error;
        throw new NavisError(
          'SELECTOR_NOT_FOUND',
          `selector '${view.selector}' matched nothing on ${page.url()} within ${RECORD_ROOT_TIMEOUT_MS} ms`,
        );
      });
  }
  const roots = view.kind === 'record' ? page.locator(view.selector).first() : page.locator(view.selector);
  const records = await withDeadline(
    roots.evaluateAll(readAll, view.fields),
    READ_TIMEOUT_MS,
    `reading view '${view.name}' took longer than ${READ_TIMEOUT_MS} ms`,
  );
  return view.kind === 'record' ? { record: records[0] } : { items: records };
}

type Fields = SiteView['fields'];

// Runs in the page (Playwright sends the function's source alone): one object per root element.
function readAll(elements: Element[], fields: Fields): ViewRecord[] {
  return elements.map((root) => {
    const out: Record<string, string | null> = {};
    for (const field of fields) {
      const el = field.selector ? root.querySelector(field.selector) : root;
      if (!el) {
        out[field.name] = null;
        continue;
      }
      switch (field.attribute) {
        case 'text':
          out[field.name] = ((el as HTMLElement).innerText ?? el.textContent ?? '').trim();
          break;
        case 'value':
          out[field.name] = 'value' in el ? String((el as HTMLInputElement).value) : el.getAttribute('value');
          break;
        case 'href': {
          const href = el.getAttribute('href');
          out[field.name] = href === null ? null : new URL(href, document.baseURI).href;
          break;
        }
        default:
          out[field.name] = el.getAttribute(field.attribute);
      }
    }
    return out;
  });
}
