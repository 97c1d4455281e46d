// The tools the LLM planner offers the model, and how a tool call becomes a PlannerDecision.
// Each tool is one definition: a description, a zod schema of its arguments (which validates the
// call and, as JSON Schema, is what the model is shown) and the decision it makes. A call naming
// an unknown tool or ref, or with bad arguments, is a problem the planner sends back once.
import { z } from 'zod';
import type { Action, Target } from '../../actions/schemas.js';
import { clickFields, targetOf } from '../targets.js';
import type { ElementInfo, PageSnapshot, PlannerDecision } from '../types.js';

/** A tool as every wire format needs it: name, description and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool call the model made, arguments already parsed from JSON. */
export interface ToolCall {
  name: string;
  args: unknown;
}

/** What the model said was wrong, in words it can act on. */
class BadCall extends Error {}

/** The current page as the tools look elements up in it. */
class PageRefs {
  constructor(readonly page: PageSnapshot) {}

  element(ref: string): ElementInfo {
    const found = this.page.elements.find((e) => e.ref === ref);
    if (!found)
      throw new BadCall(`there is no element with ref "${ref}" on the current page; use a ref from the element list`);
    return found;
  }

  target(ref: string): Target {
    return targetOf(this.element(ref));
  }
}

interface Tool<S extends z.ZodObject> {
  description: string;
  args: S;
  decide(args: z.infer<S>, page: PageRefs): PlannerDecision;
}

const tool = <S extends z.ZodObject>(description: string, args: S, decide: Tool<S>['decide']): Tool<S> => ({
  description,
  args,
  decide,
});
const step = (planned: Action): PlannerDecision => ({ type: 'step', step: planned });
const ref = z.string().min(1).describe('The ref of an element in the current page list, like "e12".');

const TOOLS = {
  click: tool(
    'Click an element. `how`: "double" for a double click, "right" for a right click (context menu); leave it out for a plain click.',
    z.object({ ref, how: z.enum(['double', 'right']).optional() }),
    (a, p) => step({ type: 'click', target: p.target(a.ref), ...clickFields(a.how) }),
  ),
  type: tool(
    'Type text into a field; what the field holds is replaced.',
    z.object({ ref, text: z.string().describe('The text to type.') }),
    (a, p) => {
      const field = p.element(a.ref);
      return step({
        type: 'type',
        target: targetOf(field),
        text: a.text,
        ...(field.inputType === 'password' ? { secret: true } : {}),
      });
    },
  ),
  select: tool(
    'Choose an option of a select or combobox, by its label.',
    z.object({ ref, option: z.string().min(1).describe('The label of the option to choose.') }),
    (a, p) => step({ type: 'select', target: p.target(a.ref), text: optionOf(p.element(a.ref), a.option) }),
  ),
  check: tool(
    'Check or uncheck a checkbox, radio button or switch.',
    z.object({ ref, checked: z.boolean().describe('true to check, false to uncheck.') }),
    (a, p) => step({ type: 'check', target: p.target(a.ref), checked: a.checked }),
  ),
  press: tool(
    'Press a key, in an element when a ref is given, else on the page.',
    z.object({
      key: z.string().min(1).describe('A key like Enter, Tab, Escape, ArrowDown or Control+A.'),
      ref: ref.optional(),
    }),
    (a, p) => step({ type: 'press', key: a.key, ...(a.ref ? { target: p.target(a.ref) } : {}) }),
  ),
  hover: tool('Move the mouse over an element (opens hover menus and tooltips).', z.object({ ref }), (a, p) =>
    step({ type: 'hover', target: p.target(a.ref) }),
  ),
  focus: tool('Focus an element.', z.object({ ref }), (a, p) => step({ type: 'focus', target: p.target(a.ref) })),
  scroll: tool(
    'Scroll the page in a direction, or scroll an element into view when a ref is given.',
    z.object({ direction: z.enum(['up', 'down', 'top', 'bottom']).optional(), ref: ref.optional() }),
    (a, p) =>
      step(a.ref ? { type: 'scroll', target: p.target(a.ref) } : { type: 'scroll', direction: a.direction ?? 'down' }),
  ),
  navigate: tool(
    'Open a URL in the tab.',
    z.object({ url: z.string().min(1).describe('An absolute http(s) URL, or one relative to the current page.') }),
    (a, p) => step({ type: 'navigate', url: webUrl(a.url, p.page.url) }),
  ),
  history: tool(
    "Go back or forward one page in the tab's history, as the browser's Back and Forward buttons do.",
    z.object({ direction: z.enum(['back', 'forward']) }),
    (a) => step({ type: a.direction }),
  ),
  wait: tool(
    'Wait for a text to appear, for an element to show, or for a number of milliseconds.',
    z.object({
      text: z.string().min(1).optional(),
      ref: ref.optional(),
      ms: z.number().int().min(0).max(30_000).optional(),
    }),
    (a, p) =>
      step(
        a.ref
          ? { type: 'wait', target: p.target(a.ref) }
          : a.text
            ? { type: 'wait', text: a.text }
            : { type: 'wait', ms: a.ms ?? 1000 },
      ),
  ),
  extract: tool(
    "Read the text of an element, or of the whole page without a ref. What was read shows in the next turn's steps.",
    z.object({
      ref: ref.optional(),
      description: z.string().min(1).optional().describe('What is being read, in a few words.'),
    }),
    (a, p) =>
      step({
        type: 'extract',
        ...(a.ref ? { target: p.target(a.ref) } : {}),
        ...(a.description ? { description: a.description } : {}),
      }),
  ),
  done: tool(
    'The instruction is carried out: give the result in words (the answer asked for, or what was done).',
    z.object({ result: z.string().min(1) }),
    (a) => ({ type: 'done', result: a.result }),
  ),
  fail: tool(
    'The instruction cannot be carried out: give the reason.',
    z.object({ reason: z.string().min(1) }),
    (a) => ({ type: 'fail', error: a.reason }),
  ),
};

/** The tools in the shape every wire format starts from. */
export const TOOL_SPECS: ToolSpec[] = Object.entries(TOOLS).map(([name, t]) => {
  const { $schema: _dialect, ...parameters } = z.toJSONSchema(t.args, { io: 'input' }) as Record<string, unknown>;
  return { name, description: t.description, parameters };
});

/** A decision, or what was wrong with the call. */
export type CallOutcome = { decision: PlannerDecision } | { problem: string };

export function decisionFor(call: ToolCall, page: PageSnapshot): CallOutcome {
  if (!Object.hasOwn(TOOLS, call.name))
    return { problem: `there is no tool named "${call.name}"; use one of ${Object.keys(TOOLS).join(', ')}` };
  const chosen = TOOLS[call.name as keyof typeof TOOLS] as Tool<z.ZodObject>;
  const parsed = chosen.args.safeParse(call.args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`);
    return { problem: `bad arguments for ${call.name}: ${issues.join('; ')}` };
  }
  try {
    return { decision: chosen.decide(parsed.data, new PageRefs(page)) };
  } catch (error) {
    if (error instanceof BadCall) return { problem: error.message };
    throw error;
  }
}

/** The option label as the page spells it; a label the element does not offer is a bad call. */
function optionOf(element: ElementInfo, option: string): string {
  if (!element.options?.length) return option; // a custom combobox: its options are not listed
  const wanted = option.trim().toLowerCase();
  const found =
    element.options.find((o) => o === option) ?? element.options.find((o) => o.trim().toLowerCase() === wanted);
  if (!found)
    throw new BadCall(
      `"${option}" is not an option of ${element.ref}; its options are ${element.options.map((o) => JSON.stringify(o)).join(', ')}`,
    );
  return found;
}

/**
 * The URL to open, resolved against the page. Only http(s): a model steered by the page it reads
 * must not open file: or javascript: URLs.
 */
function webUrl(url: string, pageUrl: string): string {
  const base = /^https?:/i.test(pageUrl) ? pageUrl : undefined;
  let resolved: URL;
  try {
    resolved = new URL(base || /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `https://${url}`, base);
  } catch {
    throw new BadCall(`"${url}" is not a URL`);
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:')
    throw new BadCall(`cannot open "${url}": only http and https URLs`);
  return resolved.href;
}
