// The typed steps of the one action executor (seed 003's action table). Tasks, the steps the
// natural-language planners plan (and the step cache keeps) and site manifests are all these steps.
import { z } from 'zod';
import { selectorSyntaxError } from '../browsers/selector-syntax.js';

export const DEFAULT_ACTION_TIMEOUT_MS = 10_000;
export const MAX_ACTION_TIMEOUT_MS = 600_000;

/** The longest a wait step with `ms` may pause. */
export const MAX_WAIT_MS = 30_000;

export const WaitUntilSchema = z.enum(['domcontentloaded', 'load', 'networkidle']);
/** A selector that does not parse is a 400 naming it, before any step runs (not a failure at its step). */
function parses(value: string, ctx: z.RefinementCtx): void {
  const why = value ? selectorSyntaxError(value) : undefined;
  if (why) ctx.addIssue({ code: 'custom', message: why });
}
const Selector = z.string().min(1, 'must be a non-empty CSS (or Playwright) selector').max(4000).superRefine(parses);
const Coordinates = z.object({ x: z.number().finite().min(0), y: z.number().finite().min(0) });
/**
 * How a step finds its element again on a later run, most robust first (actions/targets.ts): an
 * alternative to `selector` that natural-language steps plan and cache. Several locators are kept
 * so a page whose ids or classes changed still replays; `role` + `name` also let a replay verify
 * that the element found is the one planned (a relabelled target fails, never a wrong click).
 * When several elements share the role and name (an "Add to cart" button in every card), `nth`
 * says which of them (0-based, in page order, among the elements the role+name locator matches;
 * without it the first) and `item` names the list item, table row or card it sits in, so a replay
 * on a page whose items moved fails verification instead of acting on another item's control.
 */
const targetText = z.string().max(10_000);
export const TargetSchema = z.object({
  role: targetText.optional(),
  name: targetText.optional(),
  label: targetText.optional(),
  placeholder: targetText.optional(),
  text: targetText.optional(),
  testId: targetText.optional(),
  css: targetText.optional(),
  nth: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('Which of several elements with this role and name (0-based, page order); the first without it'),
  item: targetText
    .optional()
    .describe('The list item, table row or card the element sits in (its heading or first cell), checked on replay'),
});
export type Target = z.infer<typeof TargetSchema>;
const target = TargetSchema.optional().describe(
  'The element by role+name (nth: which of several, 0-based; item: the row or card it sits in), label, placeholder, text, test id or CSS path (instead of selector)',
);
const timeoutMs = z
  .number()
  .int()
  .min(1)
  .max(MAX_ACTION_TIMEOUT_MS)
  .optional()
  .describe(`Per-action deadline in ms (default ${DEFAULT_ACTION_TIMEOUT_MS})`);

/** Exactly one of `keys` must be present (seed 003: "selector or coordinates", "one of selector / coordinates / text"). */
function exactlyOne<T extends Record<string, unknown>>(keys: Array<keyof T & string>) {
  return (value: T, ctx: z.RefinementCtx) => {
    const given = keys.filter((k) => value[k] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      path: given.length > 1 ? [given[1]] : [],
      message:
        given.length === 0
          ? `needs one of ${keys.join(', ')}`
          : `conflicting parameters: give only one of ${keys.join(', ')} (got ${given.join(' and ')})`,
    });
  };
}

/** A step on one element: `selector` or `target`, not both; a missing one is reported at `selector`, as before targets existed. */
function selectorOrTarget(value: { selector?: string; target?: unknown }, ctx: z.RefinementCtx) {
  if (value.selector === undefined && value.target === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['selector'],
      message: 'is required (expected string), or give a target instead',
    });
  } else exactlyOne<typeof value>(['selector', 'target'])(value, ctx);
}

/** At most one of `keys` (an element given two ways is a mistake; none is the page). */
function atMostOne<T extends Record<string, unknown>>(keys: Array<keyof T & string>) {
  const one = exactlyOne<T>(keys);
  return (value: T, ctx: z.RefinementCtx) => {
    if (keys.some((k) => value[k] !== undefined)) one(value, ctx);
  };
}

export const NavigateAction = z.object({
  type: z.literal('navigate'),
  url: z.string().min(1),
  waitUntil: WaitUntilSchema.optional(),
  settle: z
    .boolean()
    .optional()
    .describe(
      'After load, wait until the DOM and the network have been quiet (as site actions do), at most a few seconds',
    ),
  failOnHttpError: z
    .boolean()
    .optional()
    .describe('An HTTP error status (4xx/5xx) of the page fails the step (default false)'),
  timeoutMs,
});

export const ClickAction = z
  .object({
    type: z.literal('click'),
    selector: Selector.optional(),
    target,
    coordinates: Coordinates.optional(),
    button: z.enum(['left', 'right', 'middle']).optional(),
    clickCount: z.number().int().min(1).max(3).optional(),
    timeoutMs,
  })
  .superRefine(exactlyOne(['selector', 'target', 'coordinates']));

export const TypeAction = z
  .object({
    type: z.literal('type'),
    selector: Selector.optional(),
    target,
    text: z.string(),
    secret: z.boolean().optional().describe('What is typed is a password: never echoed, cached only as a {{variable}}'),
    clear: z.boolean().optional().describe('Replace what the field holds (default true); false types after it'),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        'Type key by key with this delay between keys; without it (and with clear) the value is filled at once',
      ),
    timeoutMs,
  })
  .superRefine(selectorOrTarget);

export const PressAction = z
  .object({
    type: z.literal('press'),
    key: z.string().min(1).describe('A key name such as Enter, Tab, ArrowDown, or a chord like Control+A'),
    selector: Selector.optional(),
    target,
    timeoutMs,
  })
  .superRefine(atMostOne(['selector', 'target']));

export const ScrollAction = z
  .object({
    type: z.literal('scroll'),
    selector: Selector.optional(),
    target,
    coordinates: Coordinates.optional().describe('Scroll the page to this position'),
    text: z.string().min(1).optional().describe('Scroll until this text is in view'),
    direction: z
      .enum(['up', 'down', 'top', 'bottom'])
      .optional()
      .describe(
        "Scroll the page by most of a screen (up, down) or to its top or bottom; with a selector or target, that element's own content (a text area, a list)",
      ),
    timeoutMs,
  })
  .superRefine((value, ctx) =>
    exactlyOne<typeof value>(
      value.direction !== undefined && (value.selector !== undefined || value.target !== undefined)
        ? ['selector', 'target', 'coordinates', 'text']
        : ['selector', 'target', 'coordinates', 'text', 'direction'],
    )(value, ctx),
  );

export const WaitAction = z
  .object({
    type: z.literal('wait'),
    selector: Selector.optional(),
    target,
    text: z.string().min(1).optional(),
    ms: z.number().finite().min(0).max(MAX_WAIT_MS).optional().describe(`Pause this long (at most ${MAX_WAIT_MS} ms)`),
    state: z.enum(['attached', 'visible', 'hidden', 'detached']).optional().describe('For selector: default visible'),
    timeoutMs,
  })
  .superRefine(exactlyOne(['selector', 'target', 'text', 'ms']));

export const EvaluateAction = z.object({
  type: z.literal('evaluate'),
  script: z
    .string()
    .min(1)
    .describe('A JavaScript expression or function body run in the page; its JSON-serialisable value is returned'),
  timeoutMs,
});

export const ScreenshotAction = z.object({
  type: z.literal('screenshot'),
  selector: Selector.optional(),
  fullPage: z.boolean().optional(),
  timeoutMs,
});

export const UploadFileAction = z.object({
  type: z.literal('uploadFile'),
  selector: Selector,
  filename: z.string().min(1).describe('A file uploaded before via POST /browser/sessions/{id}/files'),
  timeoutMs,
});

export const SelectAction = z
  .object({
    type: z.literal('select'),
    selector: Selector.optional(),
    target,
    text: z.string().describe("The option's visible label (or its value)"),
    add: z
      .boolean()
      .optional()
      .describe('For a <select multiple>: add this option to the ones already selected instead of replacing them'),
    timeoutMs,
  })
  .superRefine(selectorOrTarget);

export const HoverAction = z
  .object({
    type: z.literal('hover'),
    selector: Selector.optional(),
    target,
    timeoutMs,
  })
  .superRefine(selectorOrTarget);

/** Beyond seed 003's table: used by natural-language steps and manifests, open to tasks too. */
export const CheckAction = z
  .object({
    type: z.literal('check'),
    selector: Selector.optional(),
    target,
    checked: z.boolean().optional().describe('The state to leave the checkbox or radio in (default true)'),
    timeoutMs,
  })
  .superRefine(selectorOrTarget);

export const FocusAction = z
  .object({
    type: z.literal('focus'),
    selector: Selector.optional(),
    target,
    timeoutMs,
  })
  .superRefine(selectorOrTarget);

export const ExtractAction = z
  .object({
    type: z.literal('extract'),
    selector: Selector.optional().describe('Element whose visible text to read (default: the whole page)'),
    target,
    description: z.string().max(10_000).optional().describe('What is read, in words (for summaries)'),
    timeoutMs,
  })
  .superRefine(atMostOne(['selector', 'target']));

/** Beyond seed 003's table: one step through the tab's history, as the browser's Back and Forward buttons. */
const historyAction = <T extends 'back' | 'forward'>(type: T) =>
  z.object({ type: z.literal(type), waitUntil: WaitUntilSchema.optional(), timeoutMs });
export const BackAction = historyAction('back');
export const ForwardAction = historyAction('forward');

/** How authenticate knows the login worked. `value` is what the condition looks for (not needed for networkIdle). */
export const SuccessCondition = z
  .strictObject({
    condition: z.enum(['url', 'selector', 'text', 'networkIdle']),
    value: z.string().optional().default(''),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(MAX_ACTION_TIMEOUT_MS)
      .optional()
      .describe("How long to wait for it after the form is submitted; may be longer than the step's timeoutMs"),
  })
  .superRefine((success, ctx) => {
    if (success.condition !== 'networkIdle' && !success.value) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `is required for condition ${success.condition} (the ${success.condition} to wait for)`,
      });
    }
    const why = success.condition === 'selector' && success.value ? selectorSyntaxError(success.value) : undefined;
    if (why) ctx.addIssue({ code: 'custom', path: ['value'], message: why });
  });

/**
 * Strict: an unknown field is a 400 naming it. Seed 003 says never to pass a raw username or
 * password; one sent anyway must not be dropped without a word (the login would go on without it).
 */
export const AuthenticateAction = z
  .strictObject({
    type: z.literal('authenticate'),
    mode: z.enum(['vault', 'prompt_user', 'vault_then_prompt']),
    credentialId: z.string().min(1).optional(),
    selectors: z
      .strictObject({
        username: Selector.optional(),
        password: Selector.optional(),
        submit: Selector.optional(),
        totp: Selector.optional(),
      })
      .optional(),
    success: SuccessCondition.optional().describe(
      'Without it, prompt_user waits for the person to click Done on the live view',
    ),
    pauseTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
    timeoutMs,
  })
  .superRefine((value, ctx) => {
    if (value.mode !== 'prompt_user' && !value.credentialId) {
      ctx.addIssue({
        code: 'custom',
        path: ['credentialId'],
        message: `is required for mode ${value.mode} (a credential id from POST /browser/credentials)`,
      });
    }
  });

export const ACTION_SCHEMAS = {
  navigate: NavigateAction,
  click: ClickAction,
  type: TypeAction,
  press: PressAction,
  scroll: ScrollAction,
  wait: WaitAction,
  evaluate: EvaluateAction,
  screenshot: ScreenshotAction,
  uploadFile: UploadFileAction,
  authenticate: AuthenticateAction,
  select: SelectAction,
  hover: HoverAction,
  check: CheckAction,
  focus: FocusAction,
  extract: ExtractAction,
  back: BackAction,
  forward: ForwardAction,
} as const;

export type ActionType = keyof typeof ACTION_SCHEMAS;
export const ACTION_TYPES = Object.keys(ACTION_SCHEMAS) as ActionType[];

export const ActionSchema = z.discriminatedUnion(
  'type',
  Object.values(ACTION_SCHEMAS) as unknown as [typeof NavigateAction, ...Array<typeof NavigateAction>],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `unknown action type; expected one of ${ACTION_TYPES.join(', ')}` : undefined,
  },
);

export type Action = { [K in ActionType]: z.infer<(typeof ACTION_SCHEMAS)[K]> }[ActionType];
export type ActionOf<K extends ActionType> = z.infer<(typeof ACTION_SCHEMAS)[K]>;
