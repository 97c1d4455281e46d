// The browser tools: sessions, typed tasks, natural-language actions (with the step cache), the
// page's snapshot and screenshots. Each is one route of /public or /browser.
import { SnapshotQuery } from '../api/browser/snapshot.js';
import { TaskBody } from '../api/browser/tasks.js';
import { CreateBody as CreateSessionBody, ListQuery as ListSessionsQuery } from '../api/public/sessions.js';
import { RunActionBody } from '../api/public/single-actions.js';
import { ScreenshotOptionsSchema } from '../tasks/artifacts.js';
import { enc, json, OnSession, text, tool, type Content, type NavisTool } from './tool.js';

/** Screenshots inside task results become images of their own; the JSON says where they went. */
function withoutImages(results: Array<Record<string, unknown>>, images: Content[]): Array<Record<string, unknown>> {
  return results.map((result, index) => {
    if (typeof result.screenshot !== 'string') return result;
    images.push(text(`Screenshot of action ${index}:`), {
      type: 'image',
      data: result.screenshot,
      mimeType: 'image/png',
    });
    return { ...result, screenshot: `(image below, action ${index})` };
  });
}

const sessionCreate = tool(
  'session_create',
  {
    title: 'Create a browser session',
    description:
      'Start a managed Chromium session and answer its session_id (pass it to task_run, act, snapshot, screenshot and session_terminate), its cdp_url (for Playwright/Puppeteer) and metadata.live_url (a page where a person can watch and take control, e.g. to log in). A session lives `ttl` seconds (default 600) unless terminated; end it with session_terminate when done. profile_id starts it with a saved profile (cookies, logins).',
    input: CreateSessionBody,
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  },
  async (args, ask) => {
    const { body } = await ask({ method: 'POST', path: '/public/sessions', body: args });
    const session = body as { session_id: string; expires_at: string; metadata: { live_url?: string } };
    return {
      content: [
        text(
          `Session ${session.session_id} is active until ${session.expires_at}. Live view: ${session.metadata.live_url}\n${json(body)}`,
        ),
      ],
    };
  },
);

const sessionList = tool(
  'session_list',
  {
    title: 'List browser sessions',
    description:
      "List this API key's browser sessions, newest first, with status (active, terminated, expired), end_reason and expires_at. Use it to find a session to reuse instead of creating one, or to see why one ended.",
    input: ListSessionsQuery,
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async (args, ask) => {
    const { body } = await ask({ method: 'GET', path: '/public/sessions', query: args });
    return { content: [text(json(body))] };
  },
);

const sessionTerminate = tool(
  'session_terminate',
  {
    title: 'Terminate a browser session',
    description:
      'End a session now: its browser closes, running work stops, and a profile it uses with persist_changes is saved. Call it when you are done with a session (sessions also end by themselves when their TTL runs out).',
    input: OnSession,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  },
  async ({ session_id }, ask) => {
    await ask({ method: 'POST', path: `/public/sessions/${enc(session_id)}/terminate` });
    return { content: [text(`Session ${session_id} terminated.`)] };
  },
);

const taskRun = tool(
  'task_run',
  {
    title: 'Run typed browser actions',
    description:
      "Run a list of typed actions in a session's page, in order, and answer each action's result with a step log: navigate, click, type, press, select, check, hover, focus, scroll, wait, extract (read text), evaluate (run JavaScript, answer its value), screenshot, uploadFile, authenticate (fill a stored credential), back, forward. Point at an element with `selector` (the selector on its snapshot line) or `target` ({role, name} from its snapshot line). `url` opens a page first; `screenshot: {}` adds a screenshot of the end state. Use it when you know exactly what to do; for a step in words use act. A failed action stops the list: the error names it and its reason.",
    input: OnSession.extend(TaskBody.omit({ pdf: true, content: true }).shape),
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  },
  async ({ session_id, ...task }, ask) => {
    const { body } = await ask({ method: 'POST', path: `/browser/sessions/${enc(session_id)}/tasks`, body: task });
    const result = body as { url: string; screenshot?: string; actionResults: Array<Record<string, unknown>> };
    const images: Content[] = [];
    const { screenshot, ...rest } = { ...result, actionResults: withoutImages(result.actionResults, images) };
    if (screenshot)
      images.push(text('Screenshot after the actions:'), { type: 'image', data: screenshot, mimeType: 'image/png' });
    return { content: [text(json(rest)), ...images] };
  },
);

/** The answer of Run Single Action in words: done or not, then whether the step cache was used. */
function actSummary(
  answer: {
    success: boolean;
    error?: string;
    credits: number;
    used_cache: boolean;
    cache_failed: boolean;
    cache_detail?: string;
    set_cache: boolean;
  },
  id: string | null | undefined,
): string {
  const outcome = answer.success ? 'Done.' : `Failed: ${answer.error ?? 'the instruction could not be carried out'}`;
  if (answer.used_cache)
    return `${outcome}\nReplayed from the step cache ('${id}'): no planner call, ${answer.credits} credits.`;
  const healed = answer.cache_failed
    ? ` The cached steps for '${id}' failed${answer.cache_detail ? ` (${answer.cache_detail})` : ''}, so it was planned again.`
    : '';
  const cached =
    id && answer.success && answer.set_cache
      ? ` Its steps are cached as '${id}': the next act with this id replays them without a planner.`
      : '';
  return `${outcome}\nPlanned (not from the cache), ${answer.credits} credits.${healed}${cached}`;
}

const act = tool(
  'act',
  {
    title: 'Do one thing on the page, in words',
    description:
      'Carry out a natural-language instruction in a session ("click Sign in", "type {{email}} into Email then press Enter", "open https://example.com", "read the price of the first item"). Give an `id` to cache the planned steps: the next act with the same id replays them without a planner (fast, free, same result), with new `variables` filled into {{name}} placeholders; the answer says whether it came from the cache. Without session_id a short-lived session is created for the call (its id is in the answer). Use task_run instead when you know the exact selectors.',
    input: RunActionBody,
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  },
  async (args, ask) => {
    const { body } = await ask({ method: 'POST', path: '/public/single-actions/run-action', body: args });
    const answer = body as Parameters<typeof actSummary>[0];
    return { content: [text(`${actSummary(answer, args.id)}\n${json(body)}`)], isError: !answer.success };
  },
);

const snapshot = tool(
  'snapshot',
  {
    title: "Read the page's elements and text",
    description:
      'The current page of a session as text: URL, title, one line per element (`[e12] button "Save" selector="#save"`: ref, role, accessible name, state, and a selector task_run can use), indented under the element it sits in, then the visible page text. Call it before acting on a page you have not seen and after anything that changed it. It answers at most maxChars characters (default 20000); when it is cut, the answer says so and how to read on (offset) or narrow it (scope: one element ref and what is inside it). Refs hold while the page stays the same.',
    input: OnSession.extend(SnapshotQuery.shape),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ session_id, ...window }, ask) => {
    const { body } = await ask({
      method: 'GET',
      path: `/browser/sessions/${enc(session_id)}/snapshot`,
      query: window,
    });
    const part = body as { snapshot: string; offset: number; nextOffset: number | null; totalChars: number };
    let note = '';
    if (part.nextOffset !== null)
      note = `\n[Snapshot truncated: characters ${part.offset} to ${part.nextOffset} of ${part.totalChars}. Call snapshot again with offset=${part.nextOffset} for the rest, or with scope=<ref> (an element ref above) for one part of the page.]`;
    else if (part.offset > 0)
      note = `\n[End of the snapshot: characters ${part.offset} to ${part.totalChars} of ${part.totalChars}.]`;
    return { content: [text(`${part.snapshot}${note}`)] };
  },
);

const screenshot = tool(
  'screenshot',
  {
    title: 'Screenshot of the page',
    description:
      "An image of a session's current page: the viewport by default, the whole page with fullPage, or one element with selector. type jpeg (with quality) makes it smaller. Use it to see layout, images or canvas content that a snapshot's text does not show.",
    input: OnSession.extend(ScreenshotOptionsSchema.shape),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ session_id, ...options }, ask) => {
    const { body } = await ask({
      method: 'POST',
      path: `/browser/sessions/${enc(session_id)}/screenshot`,
      body: options,
    });
    const shot = body as { screenshot: string; url: string };
    return {
      content: [
        text(`Screenshot of ${shot.url}`),
        { type: 'image', data: shot.screenshot, mimeType: options.type === 'jpeg' ? 'image/jpeg' : 'image/png' },
      ],
    };
  },
);
export const BROWSER_TOOLS: readonly NavisTool[] = [
  sessionCreate,
  sessionList,
  sessionTerminate,
  taskRun,
  act,
  snapshot,
  screenshot,
];
