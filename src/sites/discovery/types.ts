// The shapes discovery passes between its phases: what the crawl read of each page, how pages
// group into states, the draft states and actions before they become a manifest, and the namer
// interface an LLM (or a test) implements.
import type { Action } from '../../actions/schemas.js';
import type { PageSnapshot } from '../../agent/types.js';
import type { ManifestState, SiteAction } from '../manifest.js';

/** A form control or button as page-facts.ts reads it (keyed by the snapshot element's css). */
export interface ControlFacts {
  /** Index in document.forms; -1 outside any form. */
  formIndex: number;
  tag: string;
  /** The element's `type` property (input type, or submit/button/reset for buttons). */
  type: string;
  nameAttr?: string;
  required: boolean;
  isSubmit: boolean;
  /** Inside nav/header/footer. */
  inLandmark: boolean;
  /** Robust CSS selectors that select this element alone, best first (#id, [data-testid], [name]). */
  selectors: string[];
  options?: Array<{ label: string; value: string }>;
  /** A radio's or checkbox's value attribute. */
  value?: string;
  min?: string;
  /** A radio group's or a fieldset's legend. */
  groupLabel?: string;
}

export interface FormFacts {
  index: number;
  id?: string;
  name?: string;
  /** Absolute URL the form submits to. */
  action: string;
  method: string;
  /** aria-label, the legend, or the heading just before the form. */
  label?: string;
  selector?: string;
}

export interface ListFacts {
  /** CSS selector of every item. */
  itemSelector: string;
  count: number;
  /** A heading just before the list, or the container's id/class words. */
  label?: string;
  itemClass?: string;
  fields: Array<{ name: string; selector: string; attribute: string }>;
  /** Absolute hrefs of links inside the items (their targets are "items of a list"). */
  links: string[];
}

export interface RecordFacts {
  selector: string;
  fields: Array<{ name: string; selector: string; attribute: string }>;
  /** schema.org Product markup or an add-to-cart control was seen. */
  productLike: boolean;
}

export interface PageFacts {
  headings: Array<{ level: number; text: string }>;
  forms: FormFacts[];
  /** By snapshot element css. */
  controls: Record<string, ControlFacts>;
  lists: ListFacts[];
  record?: RecordFacts;
}

export interface CrawledPage {
  /** Final URL after redirects, without fragment. */
  url: string;
  depth: number;
  snapshot: PageSnapshot;
  facts: PageFacts;
  /** Role selectors (`role=button[name="…"]`) that select one element, by snapshot css. */
  roleSelectors: Record<string, string>;
}

export interface UrlTemplate {
  /** Path (and query) with {{var}} templates: `/shop/products/{{id}}.html`. */
  url: string;
  variables: string[];
  /** RegExp source matching the path and query of the state's pages. */
  pattern: string;
}

export interface PageGroup {
  template: UrlTemplate;
  /** The pages of the state, each with the values its URL gives the template's variables. */
  pages: Array<{ page: CrawledPage; values: Record<string, string> }>;
}

/** A discovered action before it joins the manifest, with what verification needs. */
export interface DraftAction {
  /** Steps typed as Action: SiteAction's inferred step type is narrowed by ActionSchema's cast. */
  action: Omit<SiteAction, 'steps'> & { steps: Action[] };
  kind: 'submit' | 'click';
  /** The button or form's words, for naming. */
  label: string;
  /** A value per input for trying the action once (string form, as the runner expands). */
  samples: Record<string, string>;
  /** Needs an uploaded file: verification cannot try it. */
  needsFile: boolean;
}

export interface DraftState {
  state: Omit<ManifestState, 'actions'>;
  actions: DraftAction[];
  title: string;
  headings: string[];
}

/** What a namer is shown: derived names (the keys it answers with) and what they were derived from. */
export interface NamingSummary {
  site: { baseUrl: string; title: string };
  states: Array<{
    key: string;
    url: string;
    title: string;
    headings: string[];
    views: string[];
    actions: Array<{ key: string; kind: 'submit' | 'click'; label: string; inputs: string[]; destructive: boolean }>;
  }>;
}

export interface Naming {
  states: Array<{ key: string; name?: string; description?: string }>;
  actions: Array<{ state: string; key: string; name?: string; description?: string }>;
}

/** Names and describes states and actions (an LLM); names that break the Identifier rule are not used. */
export interface StateNamer {
  name(summary: NamingSummary, signal?: AbortSignal): Promise<Naming>;
}

export type DiscoveryPhase = 'crawl' | 'group' | 'actions' | 'verify' | 'done';

export interface DiscoveryProgress {
  phase: DiscoveryPhase;
  message: string;
  pagesVisited: number;
  pagesQueued: number;
}
