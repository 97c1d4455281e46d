// The shared vocabulary of natural-language actions (seed 000): what a planner sees of the page
// and what it decides. The steps it plans are the executor's own Actions (actions/schemas.ts),
// with a `target` to find their element again when the step cache replays them.
import type { Action } from '../actions/schemas.js';

/** One element of the page as a planner sees it. `ref` is valid for one snapshot only. */
export interface ElementInfo {
  ref: string;
  /** ARIA role, explicit or implied by the tag (button, link, textbox, checkbox, combobox, tab, treeitem, menuitem…). */
  role: string;
  /** Accessible name (aria-label, aria-labelledby, label, text content, title, placeholder…). */
  name: string;
  tag: string;
  /** <input> type, when an input. */
  inputType?: string;
  label?: string;
  placeholder?: string;
  /** Own visible text, trimmed and shortened. */
  text?: string;
  /** Current value of a field (never of a password field). */
  value?: string;
  href?: string;
  testId?: string;
  /** A CSS path that selected this element when the snapshot was taken. */
  css: string;
  /** <select> option labels. */
  options?: string[];
  checked?: boolean;
  expanded?: boolean;
  selected?: boolean;
  disabled?: boolean;
  /** A field that takes no typing (a date field filled from its calendar). */
  readonly?: boolean;
  /** Has the keyboard focus. */
  focused?: boolean;
  /** Opens a menu, listbox or dialog (aria-haspopup). */
  hasPopup?: boolean;
  /** Words of its class names and id, for icons that have no text ("trash", "star"). */
  classes?: string;
  /** Text of the list item, table row or card it sits in, for "the Delete button in the row for Marta". */
  context?: string;
  /** Ref of the nearest element of the snapshot it sits in (a button inside a list item, a header). */
  parent?: string;
  /** A plain element the page made clickable (an onclick, a pointer cursor, a small icon). */
  clickable?: boolean;
  /** Rendered, not hidden (it may still be scrolled out of view). */
  visible: boolean;
}

export interface PageSnapshot {
  url: string;
  title: string;
  elements: ElementInfo[];
  /** The page's visible text, shortened: for reading and for planners that need context. */
  text: string;
  /** Base64 PNG, only when a planner asks for one. */
  screenshot?: string;
}

/** A step as kept in the step cache and in a run's history: the step and what it did. */
export interface StepRecord {
  step: Action;
  /** In words, for results and logs: "typed 'Internal sync' into Title". Never a secret. */
  summary: string;
  /** Text an extract step read. */
  extracted?: string;
}

/**
 * What a planner is given. Secret variables (run-secrets.ts) stay {{name}} in the instruction and
 * their values are masked as {{name}} everywhere else here; other variables are interpolated.
 */
export interface PlannerInput {
  /** The instruction, variables interpolated except secret ones. */
  instruction: string;
  page: PageSnapshot;
  /** Steps done so far in this run (including replayed ones). */
  history: StepRecord[];
  /** The variables of the run, so a planner can say where a typed value came from (secret ones as {{name}}). */
  variables: Record<string, string>;
}

export type PlannerDecision =
  | { type: 'step'; step: Action; /** optional reasoning, for logs */ thought?: string }
  | { type: 'done'; result: string }
  | { type: 'fail'; error: string };

/**
 * Plans the next step of an instruction. A planner instance lives for one run (so it may keep
 * state, such as the rule planner's parsed clauses). Each `next` call of a model-backed planner
 * costs one credit; `creditsPerCall` says how many.
 */
export interface Planner {
  readonly name: string;
  readonly creditsPerCall: number;
  /** Whether `page.screenshot` should be filled in for this planner. */
  readonly wantsScreenshot: boolean;
  next(input: PlannerInput, signal?: AbortSignal): Promise<PlannerDecision>;
}

export interface PlannerFactory {
  create(): Planner;
}
