// The site manifest tools: list and read manifests, run an action, read a view, discover a site.
// Each is one route of /api/sites (seed 002), whose {"error": "..."} messages the tool errors carry.
import { z } from 'zod';
import { DiscoverBody } from '../api/sites/discover.js';
import { ActionParams, SessionQuery, ViewParams } from '../api/sites/execute.js';
import { SlugParams } from '../api/sites/manifests.js';
import { enc, json, text, tool, type NavisTool } from './tool.js';

const sitesList = tool(
  'sites_list',
  {
    title: 'List site manifests',
    description:
      'List the sites navis has manifests for (slug, name, baseUrl, counts of states, actions and views). A manifest names the pages (states) of a website and the actions and views on each, so site_action and site_view can use the site by name without a planner. Read one with site_manifest; make one with site_discover.',
    input: z.object({}),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async (_args, ask) => {
    const { body } = await ask({ method: 'GET', path: '/api/sites' });
    return { content: [text(json(body))] };
  },
);

const siteManifest = tool(
  'site_manifest',
  {
    title: "Read a site's manifest",
    description:
      "A site's manifest: its states (pages, with URL templates), each state's actions with their inputs, and its views (data to read). Read it before site_action or site_view to know the names and inputs.",
    input: SlugParams,
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  async ({ slug }, ask) => {
    const { body } = await ask({ method: 'GET', path: `/api/sites/${enc(slug)}/manifest` });
    return { content: [text(json(body))] };
  },
);

const siteAction = tool(
  'site_action',
  {
    title: "Run a site manifest's action",
    description:
      "Run a named action of a site's state (e.g. slug shop, state ProductPage, action add_to_cart) with its inputs: navis opens the state's URL, waits for the page to settle and runs the action's steps, then answers each step. No planner is involved. Without session_id it runs in a fresh browser context; with one, in that session (its cookies and logins).",
    input: ActionParams.extend({
      inputs: z
        .record(z.string(), z.unknown())
        .optional()
        .describe("The action's inputs by name, as its manifest lists them ({} or none when it takes none)"),
      ...SessionQuery,
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
  },
  async ({ slug, state, action, inputs, session_id }, ask) => {
    const { body } = await ask({
      method: 'POST',
      path: `/api/sites/${enc(slug)}/actions/${enc(state)}/${enc(action)}`,
      query: { session_id },
      body: inputs ?? {},
    });
    return { content: [text(json(body))] };
  },
);

const siteView = tool(
  'site_view',
  {
    title: "Read a site manifest's view",
    description:
      "Read a named view of a site's state (a list of items or one record of fields) as JSON: navis opens the state's URL (inputs fill its URL template) and reads the view's fields. Use it to get structured data from a site that has a manifest.",
    input: ViewParams.extend({
      inputs: z
        .record(z.string(), z.string())
        .optional()
        .describe("Values for the state's URL template (e.g. {id: '42'})"),
      ...SessionQuery,
    }),
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  async ({ slug, state, view, inputs, session_id }, ask) => {
    const { body } = await ask({
      method: 'GET',
      path: `/api/sites/${enc(slug)}/views/${enc(state)}/${enc(view)}`,
      query: { ...inputs, session_id },
    });
    return { content: [text(json(body))] };
  },
);

const siteDiscover = tool(
  'site_discover',
  {
    title: 'Discover a site and store its manifest',
    description:
      'Crawl a website from `url` with a real browser (same origin, bounded by maxPages and maxDepth), group its pages into states, turn its forms, buttons and links into actions with inputs, try the safe ones, and store the manifest under its slug. Takes from seconds to minutes. Afterwards use site_manifest, site_action and site_view.',
    input: DiscoverBody,
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  },
  async (args, ask) => {
    const { body } = await ask({ method: 'POST', path: '/api/sites/discover', body: args });
    const { progress: _progress, ...outcome } = body as { progress?: unknown; slug: string; created: boolean };
    return {
      content: [text(`${outcome.created ? 'Created' : 'Updated'} the manifest '${outcome.slug}'.\n${json(outcome)}`)],
    };
  },
);

export const SITE_TOOLS: readonly NavisTool[] = [sitesList, siteManifest, siteAction, siteView, siteDiscover];
