// A state's read-only views: each repeated list of items with the same structure is a `list` view
// (fields from the items' texts, links and images), and a product-like page (one heading and a
// price, on a page with an id in its URL, product markup or an add-to-cart button) a `record` view.
import type { SiteView } from '../manifest.js';
import { snake, unique, words } from './naming.js';
import type { CrawledPage, ListFacts } from './types.js';

export function viewsOf(page: CrawledPage, stateName: string, templated: boolean): SiteView[] {
  const taken = new Set<string>();
  const views: SiteView[] = page.facts.lists.map((list) => ({
    name: unique(listName(list), taken, '_'),
    description: `The ${list.label ? `"${list.label}" ` : ''}list (${list.count} items when discovered).`,
    kind: 'list' as const,
    selector: list.itemSelector,
    fields: fieldsOf(list.fields),
  }));
  const record = page.facts.record;
  if (record && (record.productLike || templated)) {
    const base = words(stateName.replace(/Page$/, '')).join('_') || 'record';
    views.push({
      name: unique(snake(base, 'view'), taken, '_'),
      description: `The ${words(stateName.replace(/Page$/, '')).join(' ') || 'page'}'s details.`,
      kind: 'record',
      selector: record.selector,
      fields: fieldsOf(record.fields),
    });
  }
  return views;
}

function listName(list: ListFacts): string {
  if (list.label) return snake(list.label, 'list', 4);
  if (list.itemClass) return snake(`${list.itemClass} list`, 'list', 4);
  return 'items';
}

function fieldsOf(fields: ListFacts['fields']): SiteView['fields'] {
  const taken = new Set<string>();
  return fields.map((f) => ({
    name: unique(/^[a-z][a-z0-9_]*$/.test(f.name) ? f.name : snake(f.name, 'field', 4), taken, '_'),
    selector: f.selector,
    attribute: f.attribute,
  }));
}
