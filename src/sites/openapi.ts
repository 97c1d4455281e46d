// The OpenAPI 3 document of one site: each action of the manifest is an operation
// POST /api/sites/{slug}/actions/{state}/{action} (seed 002) whose JSON body holds its inputs, and
// each view a GET /api/sites/{slug}/views/{state}/{view}. Generated from the manifest on request.
import { stepTemplateNames, templateNames } from '../actions/templates.js';
import type { Manifest, ManifestState, SiteAction, SiteInput, SiteView } from './manifest.js';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export const actionPath = (slug: string, state: string, action: string) =>
  `/api/sites/${encodeURIComponent(slug)}/actions/${encodeURIComponent(state)}/${encodeURIComponent(action)}`;
export const viewPath = (slug: string, state: string, view: string) =>
  `/api/sites/${encodeURIComponent(slug)}/views/${encodeURIComponent(state)}/${encodeURIComponent(view)}`;

function inputSchema(input: SiteInput): JsonSchema {
  const schema: JsonSchema = { type: input.type };
  if (input.description) schema.description = input.description;
  // Manifests write choices as strings (a <select>'s option values); numbers are converted, booleans need none.
  if (input.enum && input.type === 'string') schema.enum = input.enum;
  if (input.enum && input.type === 'number') schema.enum = input.enum.map(Number).filter(Number.isFinite);
  if (input.default !== undefined) schema.default = input.default;
  return schema;
}

/** What {{name}} an action uses without declaring it: the runner asks for it as a required string. */
const undeclared = (name: string, state: ManifestState): SiteInput => ({
  name,
  type: 'string',
  required: true,
  description: templateNames(state.url).includes(name)
    ? `Fills {{${name}}} in the page URL ${state.url}`
    : `Fills {{${name}}} in the action's steps`,
});

/** The action's inputs as the runner takes them: the declared ones, then the templates of its URL and steps it does not declare. */
export function actionInputs(state: ManifestState, action: SiteAction): SiteInput[] {
  const declared = new Set(action.inputs.map((i) => i.name));
  const used = [...new Set([...templateNames(state.url), ...stepTemplateNames(action.steps)])];
  return [...action.inputs, ...used.filter((name) => !declared.has(name)).map((name) => undeclared(name, state))];
}

/** A view's inputs: the templates of its state's URL, sent as query parameters. */
export function viewInputs(state: ManifestState): SiteInput[] {
  return templateNames(state.url).map((name) => undeclared(name, state));
}

/** Both kinds of operation may run in an existing session instead of a fresh context. */
const SESSION_PARAMETER = {
  name: 'session_id',
  in: 'query',
  required: false,
  schema: { type: 'string' },
  description: 'Run in this session (its default context: its cookies and logins) instead of a fresh context',
};

function actionBody(inputs: SiteInput[]): JsonSchema {
  const required = inputs.filter((i) => i.required).map((i) => i.name);
  return {
    type: 'object',
    properties: Object.fromEntries(inputs.map((i) => [i.name, inputSchema(i)])),
    ...(required.length ? { required } : {}),
    // The runner answers 400 for an input the action does not take.
    additionalProperties: false,
  };
}

const errorExample = (error: string) => ({ value: { error } });

function actionOperation(manifest: Manifest, state: ManifestState, action: SiteAction): Operation {
  const inputs = actionInputs(state, action);
  const summary = action.description ?? `${action.name} on ${state.name}`;
  return {
    operationId: `${state.name}.${action.name}`,
    tags: [state.name],
    summary: summary.split('\n')[0].slice(0, 120),
    description: [
      action.description,
      `Opens ${state.url} on ${manifest.baseUrl} in a new page, waits for the DOM to settle and runs the action's ${action.steps.length} step(s).`,
      action.destructive ? 'This action submits, deletes, buys or sends something on the real site.' : undefined,
    ]
      .filter(Boolean)
      .join('\n\n'),
    parameters: [SESSION_PARAMETER],
    requestBody: {
      required: inputs.some((i) => i.required),
      content: { 'application/json': { schema: actionBody(inputs) } },
    },
    responses: {
      200: {
        description: 'The action ran',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ActionResult' } } },
      },
      400: { $ref: '#/components/responses/BadRequest' },
      401: { $ref: '#/components/responses/Unauthorized' },
      403: { $ref: '#/components/responses/Forbidden' },
      404: {
        description: 'The manifest, state or action does not exist',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: {
              manifest: errorExample('Manifest not found'),
              state: errorExample("State 'BadState' not found"),
              action: errorExample("Route 'bad_action' not found"),
            },
          },
        },
      },
      415: { $ref: '#/components/responses/UnsupportedMediaType' },
      429: {
        description: 'Too many executions run at once',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            example: { error: 'Max concurrent executions (3) reached. Try again later.' },
          },
        },
      },
      500: {
        description: 'The action failed on the page',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            example: { error: `Action '${action.name}' failed: <message>` },
          },
        },
      },
    },
  };
}

function viewOperation(manifest: Manifest, state: ManifestState, view: SiteView): Operation {
  const record = {
    type: 'object',
    properties: Object.fromEntries(
      view.fields.map((f) => [
        f.name,
        { type: 'string', nullable: true, description: `${f.attribute} of ${f.selector || 'the element'}` },
      ]),
    ),
  };
  const data =
    view.kind === 'list'
      ? { items: { type: 'array', items: record, description: 'One object per matching element' } }
      : { record };
  return {
    operationId: `${state.name}.views.${view.name}`,
    tags: [state.name],
    summary: (view.description ?? `${view.name} on ${state.name}`).split('\n')[0].slice(0, 120),
    description: [
      view.description,
      `Reads ${view.kind === 'list' ? `each ${view.selector}` : view.selector} on ${state.url} (${manifest.baseUrl}).`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    parameters: [
      ...viewInputs(state).map((input) => ({
        name: input.name,
        in: 'query',
        required: true,
        schema: { type: 'string' },
        description: input.description,
      })),
      SESSION_PARAMETER,
    ],
    responses: {
      200: {
        description: view.kind === 'list' ? 'The items of the list' : 'The record',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['ok', 'state', 'view', ...Object.keys(data)],
              properties: { ok: { type: 'boolean' }, state: { type: 'string' }, view: { type: 'string' }, ...data },
            },
          },
        },
      },
      400: { $ref: '#/components/responses/BadRequest' },
      401: { $ref: '#/components/responses/Unauthorized' },
      403: { $ref: '#/components/responses/Forbidden' },
      404: {
        description: 'The manifest, state or view does not exist',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: {
              manifest: errorExample('Manifest not found'),
              state: errorExample("State 'BadState' not found"),
              view: errorExample("View 'bad_view' not found"),
            },
          },
        },
      },
      429: { $ref: '#/components/responses/TooManyExecutions' },
      500: { $ref: '#/components/responses/Failed' },
    },
  };
}

const errorResponse = (description: string, example: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: { error: example } } },
});

export interface SiteOpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  [section: string]: unknown;
}

export function siteOpenApi(manifest: Manifest): SiteOpenApiDocument {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const state of manifest.states) {
    for (const action of state.actions)
      paths[actionPath(manifest.slug, state.name, action.name)] = { post: actionOperation(manifest, state, action) };
    for (const view of state.views)
      paths[viewPath(manifest.slug, state.name, view.name)] = { get: viewOperation(manifest, state, view) };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: manifest.name,
      version: '1',
      description: [manifest.description, `Actions and views of ${manifest.baseUrl}, run by navis on a real browser.`]
        .filter(Boolean)
        .join('\n\n'),
    },
    servers: [{ url: '/' }],
    // Keyless on a loopback navis; an API key otherwise.
    security: [{}, { apiKey: [] }],
    tags: manifest.states.map((s) => ({
      name: s.name,
      description: [s.description, `Page: ${s.url}`].filter(Boolean).join('\n\n'),
    })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
        ActionResult: {
          type: 'object',
          required: ['ok', 'state', 'steps'],
          properties: {
            ok: { type: 'boolean', description: 'true on success' },
            state: { type: 'string', description: 'The state name where the action was executed' },
            steps: {
              type: 'array',
              description: 'Ordered list of steps the executor performed',
              items: {
                type: 'object',
                required: ['index', 'type', 'status', 'durationMs'],
                properties: {
                  index: { type: 'integer' },
                  type: { type: 'string', description: 'The step type (navigate, click, type…)' },
                  status: { type: 'string', enum: ['ok', 'failed'] },
                  detail: { type: 'string' },
                  durationMs: { type: 'integer' },
                  result: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
        },
      },
      responses: {
        BadRequest: errorResponse('An input is missing, unknown or of the wrong type', "Input 'email' is required"),
        Unauthorized: errorResponse('A key is needed or the key is wrong', 'Invalid API key'),
        Forbidden: errorResponse(
          'Refused: a foreign Origin, a cross-site request or (keyless) a non-loopback Host',
          "Request from origin 'http://evil.example' refused: …",
        ),
        UnsupportedMediaType: errorResponse(
          'The body is not application/json',
          "Unsupported Content-Type 'text/plain': send the body as JSON with Content-Type: application/json (or send no body).",
        ),
        TooManyExecutions: errorResponse(
          'Too many executions run at once',
          'Max concurrent executions (3) reached. Try again later.',
        ),
        Failed: errorResponse('Reading the page failed', '<message>'),
      },
    },
  };
}
