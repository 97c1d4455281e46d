// A site manifest (seed 002): a site's page states, the named actions on each (typed steps of the
// one action executor, with {{input}} templates) and read-only views. Validated by this schema
// whether it comes from PUT /api/sites/:slug/manifest, a JSON file or discovery. Selectors are
// checked for syntax here too (steps through ActionSchema, views below), so a manifest that could
// only fail on the page for its own text is refused when it is saved, not at its first run.
import { z } from 'zod';
import { ActionSchema } from '../actions/schemas.js';
import { cssSyntaxError, selectorSyntaxError } from '../browsers/selector-syntax.js';

const Identifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must start with a letter and hold only letters, digits and _');

export const SlugSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*$/,
    'must be lower-case letters and digits joined by single hyphens (e.g. example-com)',
  );

export const InputSchema = z.object({
  name: Identifier,
  type: z.enum(['string', 'number', 'boolean']).default('string'),
  required: z.boolean().default(false),
  description: z.string().max(2000).optional(),
  /** Allowed values, when the input is a choice (a <select>'s options). */
  enum: z.array(z.string()).max(500).optional(),
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

export const SiteActionSchema = z.object({
  name: Identifier,
  description: z.string().max(2000).optional(),
  inputs: z.array(InputSchema).max(100).default([]),
  steps: z.array(ActionSchema).min(1).max(200),
  /** Submits, deletes, buys or sends something: discovery does not try it. */
  destructive: z.boolean().optional(),
  /** Set by discovery when it tried the action once. */
  verified: z.object({ ok: z.boolean(), at: z.string(), error: z.string().optional() }).optional(),
});

/** A selector `check` can parse (selectorSyntaxError for locator selectors, cssSyntaxError for querySelector ones). */
const parsedBy = (check: (selector: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const why = value ? check(value) : undefined;
  if (why) ctx.addIssue({ code: 'custom', message: why });
};

export const ViewFieldSchema = z.object({
  name: Identifier,
  /** CSS selector relative to the item (list) or the root (record); empty = the item itself. Plain CSS: the page runs it with querySelector. */
  selector: z.string().max(2000).default('').superRefine(parsedBy(cssSyntaxError)),
  /** What to read: the text (default), the value of a field, or an attribute such as href. */
  attribute: z.string().max(100).default('text'),
});

export const ViewSchema = z.object({
  name: Identifier,
  description: z.string().max(2000).optional(),
  kind: z.enum(['list', 'record']),
  /** list: the selector of each item; record: the selector of the root element. */
  selector: z.string().min(1).max(2000).superRefine(parsedBy(selectorSyntaxError)),
  fields: z.array(ViewFieldSchema).min(1).max(100),
});

export const StateSchema = z.object({
  name: Identifier,
  description: z.string().max(2000).optional(),
  /** Path (or absolute URL) of the state, with {{input}} templates: `/products/{{id}}`. */
  url: z.string().min(1).max(2000),
  /** How to recognise the state on a page: a URL pattern (RegExp source), a selector that exists, a title. */
  recognize: z
    .object({
      urlPattern: z.string().max(500).optional(),
      selector: z.string().max(2000).superRefine(parsedBy(selectorSyntaxError)).optional(),
      title: z.string().max(500).optional(),
    })
    .optional(),
  actions: z.array(SiteActionSchema).max(200).default([]),
  views: z.array(ViewSchema).max(100).default([]),
});

export const ManifestSchema = z
  .object({
    slug: SlugSchema,
    name: z.string().min(1).max(200),
    baseUrl: z
      .string()
      .url()
      .refine((u) => /^https?:/.test(u), 'must be an http(s) URL'),
    description: z.string().max(5000).optional(),
    states: z.array(StateSchema).max(500),
    generatedBy: z.string().max(200).optional(),
  })
  .superRefine((manifest, ctx) => {
    const seen = new Set<string>();
    manifest.states.forEach((state, i) => {
      if (seen.has(state.name))
        ctx.addIssue({ code: 'custom', path: ['states', i, 'name'], message: `duplicate state name '${state.name}'` });
      seen.add(state.name);
      const actions = new Set<string>();
      state.actions.forEach((action, j) => {
        if (actions.has(action.name))
          ctx.addIssue({
            code: 'custom',
            path: ['states', i, 'actions', j, 'name'],
            message: `duplicate action name '${action.name}'`,
          });
        actions.add(action.name);
      });
    });
  });

export type Manifest = z.infer<typeof ManifestSchema>;
export type ManifestState = z.infer<typeof StateSchema>;
export type SiteAction = z.infer<typeof SiteActionSchema>;
export type SiteInput = z.infer<typeof InputSchema>;
export type SiteView = z.infer<typeof ViewSchema>;
