// A site's generated documentation: GET /api/sites/:slug/openapi.json (built by sites/openapi.ts)
// and GET /api/sites/:slug/docs, one self-contained HTML page (no CDN) listing states, actions,
// inputs and views, with a small form per action that POSTs JSON to the action's endpoint.
// Every manifest text is escaped; the page's one script runs under a nonce-only CSP.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Manifest, ManifestState, SiteAction, SiteInput, SiteView } from '../../sites/manifest.js';
import { isSecretInput } from '../../sites/inputs.js';
import { actionInputs, actionPath, siteOpenApi, viewInputs, viewPath } from '../../sites/openapi.js';
import type { ManifestService } from '../../sites/service.js';
import { SlugParams } from './manifests.js';

const tags = ['site manifests'];
const SiteOpenApi = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  })
  .describe('An OpenAPI 3 document: one POST per action (its inputs as the body), one GET per view');
const DocsPage = {
  description: 'A self-contained HTML page',
  content: { 'text/html': { schema: z.string() } },
};

export async function siteDocsRoutes(app: FastifyInstance, { manifests }: { manifests: ManifestService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/:slug/openapi.json',
    {
      schema: {
        tags,
        summary: "OpenAPI 3 document of a site's actions and views",
        params: SlugParams,
        response: { 200: SiteOpenApi },
      },
    },
    async (req) => siteOpenApi(manifests.get(req.caller.tenantId, req.params.slug)),
  );

  r.get(
    '/:slug/docs',
    {
      schema: {
        tags,
        summary: "A site's documentation page, with a form per action",
        params: SlugParams,
        response: { 200: DocsPage },
      },
    },
    async (req, reply) => {
      const nonce = randomBytes(16).toString('base64');
      return reply
        .type('text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .header(
          'Content-Security-Policy',
          `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`,
        )
        .header('Referrer-Policy', 'no-referrer')
        .header('X-Content-Type-Options', 'nosniff')
        .send(siteDocsPage(manifests.get(req.caller.tenantId, req.params.slug), nonce));
    },
  );
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** For text and for quoted attribute values alike. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const paragraph = (text: string | undefined) => (text ? `<p>${escapeHtml(text)}</p>` : '');

function inputControl(input: SiteInput, id: string): string {
  const common = `id="${id}" data-input="${escapeHtml(input.name)}" data-type="${input.type}"${input.required ? ' required' : ''}`;
  const value = input.default === undefined ? '' : escapeHtml(String(input.default));
  if (input.type === 'boolean') return `<input type="checkbox" ${common}${input.default === true ? ' checked' : ''}>`;
  if (input.enum && input.type === 'string') {
    const options = input.enum.map(
      (v) => `<option value="${escapeHtml(v)}"${v === input.default ? ' selected' : ''}>${escapeHtml(v)}</option>`,
    );
    return `<select ${common}>${input.required ? '' : '<option value=""></option>'}${options.join('')}</select>`;
  }
  const type =
    input.type === 'number'
      ? 'type="number" step="any"'
      : isSecretInput(input.name)
        ? 'type="password" autocomplete="off"'
        : 'type="text"';
  return `<input ${type} ${common} value="${value}">`;
}

function inputRow(input: SiteInput, id: string): string {
  const about = [input.type, input.required ? 'required' : 'optional'].join(', ');
  return `<div class="input"><label for="${id}"><code>${escapeHtml(input.name)}</code> <span class="muted">${about}</span></label>
${inputControl(input, id)}${input.description ? `<div class="muted">${escapeHtml(input.description)}</div>` : ''}</div>`;
}

function actionSection(manifest: Manifest, state: ManifestState, action: SiteAction, n: number): string {
  const endpoint = actionPath(manifest.slug, state.name, action.name);
  const inputs = actionInputs(state, action);
  return `<section class="action"><h3><code>${escapeHtml(action.name)}</code>${action.destructive ? ' <span class="badge">changes data</span>' : ''}</h3>
${paragraph(action.description)}<p class="endpoint">POST <code>${escapeHtml(endpoint)}</code></p>
<form data-method="POST" data-endpoint="${escapeHtml(endpoint)}"${action.destructive ? ` data-confirm="${escapeHtml(action.name)}"` : ''}>
${inputs.length ? inputs.map((input, i) => inputRow(input, `a${n}-${i}`)).join('\n') : '<p class="muted">No inputs.</p>'}
<button type="submit">Run ${escapeHtml(action.name)}</button><pre class="answer" hidden></pre></form></section>`;
}

function viewSection(manifest: Manifest, state: ManifestState, view: SiteView, n: number): string {
  const endpoint = viewPath(manifest.slug, state.name, view.name);
  const variables = viewInputs(state);
  const fields = view.fields.map(
    (f) =>
      `<li><code>${escapeHtml(f.name)}</code> <span class="muted">${escapeHtml(f.attribute)} of ${escapeHtml(f.selector || 'the element')}</span></li>`,
  );
  return `<section class="view"><h3><code>${escapeHtml(view.name)}</code> <span class="muted">${view.kind}</span></h3>
${paragraph(view.description)}<p class="endpoint">GET <code>${escapeHtml(endpoint)}</code></p><ul>${fields.join('')}</ul>
<form data-method="GET" data-endpoint="${escapeHtml(endpoint)}">${variables.map((input, i) => inputRow(input, `v${n}-${i}`)).join('\n')}
<button type="submit">Read ${escapeHtml(view.name)}</button><pre class="answer" hidden></pre></form></section>`;
}

function stateSection(manifest: Manifest, state: ManifestState, counter: { n: number }): string {
  const actions = state.actions.map((a) => actionSection(manifest, state, a, counter.n++));
  const views = state.views.map((v) => viewSection(manifest, state, v, counter.n++));
  return `<section class="state" id="state-${escapeHtml(state.name)}"><h2>${escapeHtml(state.name)}</h2>
<p class="muted">Page <code>${escapeHtml(state.url)}</code></p>${paragraph(state.description)}
${actions.length ? `${actions.join('\n')}` : '<p class="muted">No actions.</p>'}
${views.join('\n')}</section>`;
}

// Reads each form's inputs by their data-type, sends them as JSON (POST) or a query (GET), shows the answer.
const SCRIPT = `
document.querySelectorAll('form[data-endpoint]').forEach(function (form) {
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    if (form.dataset.confirm && !confirm('Run ' + form.dataset.confirm + ' on the real site? It changes data there.')) return;
    var values = {};
    form.querySelectorAll('[data-input]').forEach(function (el) {
      var type = el.dataset.type;
      if (type === 'boolean') values[el.dataset.input] = el.checked;
      else if (el.value !== '') values[el.dataset.input] = type === 'number' ? Number(el.value) : el.value;
    });
    var headers = {};
    var key = document.getElementById('api-key').value.trim();
    if (key) headers['X-API-Key'] = key;
    var url = form.dataset.endpoint, init = { method: form.dataset.method, headers: headers };
    if (init.method === 'GET') url += '?' + new URLSearchParams(values).toString();
    else { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(values); }
    var out = form.querySelector('.answer');
    out.hidden = false;
    out.textContent = 'Running…';
    try {
      var res = await fetch(url, init);
      var text = await res.text();
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) {}
      out.textContent = res.status + ' ' + res.statusText + '\\n' + text;
    } catch (error) {
      out.textContent = 'Request failed: ' + error;
    }
  });
});`;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}section.action,section.view{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.muted{color:#57606a;font-size:.9em}.badge{background:#ffebe9;color:#a40e26;border-radius:4px;padding:0 .4rem;font-size:.8em}
.input{margin:.5rem 0}.input label{display:block}input[type=text],input[type=number],input[type=password],select{width:100%;max-width:30rem;padding:.25rem}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;white-space:pre-wrap}button{margin:.5rem 0;padding:.3rem .8rem}code{font-size:.95em}`;

export function siteDocsPage(manifest: Manifest, nonce: string): string {
  const counter = { n: 0 };
  const toc = manifest.states.map(
    (s) =>
      `<li><a href="#state-${escapeHtml(s.name)}">${escapeHtml(s.name)}</a> <span class="muted">${s.actions.length} action(s), ${s.views.length} view(s)</span></li>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(manifest.name)} · navis</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(manifest.name)}</h1>
<p class="muted">Site <code>${escapeHtml(manifest.slug)}</code> on <code>${escapeHtml(manifest.baseUrl)}</code> · <a href="${escapeHtml(`/api/sites/${encodeURIComponent(manifest.slug)}/openapi.json`)}">OpenAPI document</a></p>
${paragraph(manifest.description)}
<p><label for="api-key">API key <span class="muted">(only needed when navis does not listen on 127.0.0.1)</span></label>
<input type="password" id="api-key" autocomplete="off"></p>
<p class="muted">Actions run on a real browser against the real site: forms are submitted and buttons clicked.</p>
<ul>${toc.join('')}</ul>
${manifest.states.map((s) => stateSection(manifest, s, counter)).join('\n')}
<script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
