// Sites: the tenant's site manifests, each with its docs page; on a site's page, a form per action
// and view built from the site's own OpenAPI document (the inputs the runner takes, declared or
// templated), and discovery of a new site with its progress as it streams (NDJSON).
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ConfirmButton, ErrorBox, Loading, ago, useAction, useLoad } from '../ui.js';

const sitePath = (slug) => `api/sites/${encodeURIComponent(slug)}`;

export function SitesPage() {
  const list = useLoad(() => api('api/sites'), []);
  const remove = useAction(async (slug) => {
    await api(sitePath(slug), { method: 'DELETE' });
    await list.reload();
  });
  const sites = list.data?.sites ?? [];
  return html`<section>
    <h1>Sites</h1>
    <${ErrorBox} error=${list.error ?? remove.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table>
      <thead>
        <tr>
          <th>Site</th>
          <th>Name</th>
          <th>Base URL</th>
          <th>States</th>
          <th>Actions</th>
          <th>Views</th>
          <th>Updated</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${sites.length === 0 &&
        html`<tr>
          <td colspan="8" class="muted">No site manifests yet: discover a site below, or PUT one.</td>
        </tr>`}
        ${sites.map(
          (s) => html`<tr key=${s.slug}>
            <td><a href=${`#/sites/${encodeURIComponent(s.slug)}`}>${s.slug}</a></td>
            <td>${s.name}</td>
            <td class="mono">${s.baseUrl}</td>
            <td>${s.states}</td>
            <td>${s.actions}</td>
            <td>${s.views}</td>
            <td>${ago(s.updatedAt)}</td>
            <td class="actions">
              <a
                href=${`${sitePath(s.slug)}/docs`}
                target="_blank"
                rel="noopener"
                title="The site's documentation page. It opens without the API key: keyless calls work on a navis listening on 127.0.0.1 (the default tenant); elsewhere the page asks for a key."
                >docs</a
              >
              <${ConfirmButton} label="Delete" onConfirm=${() => remove.run(s.slug)} />
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
    <${Discover} onDone=${list.reload} />
  </section>`;
}

function Discover({ onDone }) {
  const [form, setForm] = useState({ url: '', maxPages: 20, maxDepth: 3, slug: '', verify: true });
  const [events, setEvents] = useState([]);
  const [outcome, setOutcome] = useState(undefined);
  const set = (name) => (e) =>
    setForm({ ...form, [name]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const discover = useAction(async () => {
    setEvents([]);
    setOutcome(undefined);
    const response = await api('api/sites/discover', {
      method: 'POST',
      as: 'response',
      headers: { Accept: 'application/x-ndjson' },
      body: {
        url: form.url.trim(),
        maxPages: Number(form.maxPages),
        maxDepth: Number(form.maxDepth),
        verify: form.verify,
        ...(form.slug.trim() ? { slug: form.slug.trim() } : {}),
      },
    });
    for await (const event of ndjson(response)) {
      if (event.type === 'progress') setEvents((list) => [...list, event]);
      else if (event.type === 'error') throw new Error(event.error);
      else if (event.type === 'result') setOutcome(event);
    }
    onDone();
  });
  return html`<form
    class="card"
    aria-label="Discover a site"
    onSubmit=${(e) => {
      e.preventDefault();
      discover.run();
    }}
  >
    <h2>Discover a site</h2>
    <p class="muted small">Crawls the site from a page, finds its states, actions and views, and stores a manifest.</p>
    <div class="inline-form">
      <label class="grow"
        >Start URL <input type="url" required placeholder="https://example.com/" value=${form.url} onInput=${set('url')}
      /></label>
      <label>Pages <input type="number" min="1" max="500" value=${form.maxPages} onInput=${set('maxPages')} /></label>
      <label>Depth <input type="number" min="0" max="10" value=${form.maxDepth} onInput=${set('maxDepth')} /></label>
      <label>Slug <input placeholder="from the host" value=${form.slug} onInput=${set('slug')} /></label>
      <label class="check"
        ><input type="checkbox" checked=${form.verify} onChange=${set('verify')} /> try each safe action</label
      >
      <button type="submit" disabled=${discover.busy}>${discover.busy ? 'Discovering…' : 'Discover'}</button>
    </div>
    ${events.length > 0 &&
    html`<ol class="progress" aria-label="Discovery progress">
      ${events.map(
        (e, i) => html`<li key=${i}>
          <span class="badge">${e.phase}</span> ${e.message}${' '}
          <span class="muted small">(${e.pagesVisited} visited, ${e.pagesQueued} queued)</span>
        </li>`,
      )}
    </ol>`}
    <${ErrorBox} error=${discover.error} />
    ${outcome &&
    html`<p class="ok">
      Manifest <a href=${`#/sites/${encodeURIComponent(outcome.slug)}`}>${outcome.slug}</a>${' '}
      ${outcome.created ? 'created' : 'updated'}: ${outcome.manifest.states.length} states.
    </p>`}
  </form>`;
}

/** The JSON objects of an NDJSON response, one a line, as they arrive. */
async function* ndjson(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    const lines = buffer.split('\n');
    buffer = done ? '' : lines.pop();
    for (const line of lines) if (line.trim()) yield JSON.parse(line);
    if (done) return;
  }
}

export function SitePage({ id: slug }) {
  const doc = useLoad(() => api(`${sitePath(slug)}/openapi.json`), [slug]);
  const sessions = useLoad(() => api('browser/sessions', { query: { status: 'active', limit: 100 } }), []);
  const operations = doc.data ? operationsOf(doc.data) : [];
  return html`<section>
    <p><a href="#/sites">← Sites</a></p>
    <h1>${doc.data?.info?.title ?? slug}</h1>
    <p>
      <a href=${`${sitePath(slug)}/docs`} target="_blank" rel="noopener">Documentation page</a> ·${' '}
      <a href=${`${sitePath(slug)}/openapi.json`} target="_blank" rel="noopener">OpenAPI document</a>
    </p>
    <${ErrorBox} error=${doc.error} />
    <${Loading} when=${doc.loading && !doc.data} />
    ${operations.map(
      (op) =>
        html`<${OperationForm}
          key=${op.path}
          op=${op}
          sessions=${sessions.data?.sessions ?? []}
        />`,
    )}
  </section>`;
}

/** Each action (POST) and view (GET) of the site's OpenAPI document, with its inputs. */
function operationsOf(doc) {
  const ops = [];
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const isView = method === 'get';
      const body = op.requestBody?.content?.['application/json']?.schema;
      const inputs = isView
        ? (op.parameters ?? [])
            .filter((p) => p.in === 'query' && p.name !== 'session_id')
            .map((p) => ({ name: p.name, required: p.required, schema: p.schema ?? {}, description: p.description }))
        : Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
            name,
            required: (body.required ?? []).includes(name),
            schema,
            description: schema.description,
          }));
      ops.push({ path: path.replace(/^\//, ''), method, isView, id: op.operationId, summary: op.summary, inputs });
    }
  }
  return ops;
}

const looksSecret = (name) => /pass|secret|token|pin|otp|cvv|cvc/i.test(name);

function OperationForm({ op, sessions }) {
  const [values, setValues] = useState(() =>
    Object.fromEntries(op.inputs.map((i) => [i.name, i.schema.default ?? (i.schema.type === 'boolean' ? false : '')])),
  );
  const [sessionId, setSessionId] = useState('');
  const [answer, setAnswer] = useState(undefined);
  const run = useAction(async () => {
    setAnswer(undefined);
    const inputs = {};
    for (const input of op.inputs) {
      const value = values[input.name];
      if (value === '' && !input.required) continue;
      inputs[input.name] = input.schema.type === 'number' && value !== '' ? Number(value) : value;
    }
    const query = { session_id: sessionId || undefined, ...(op.isView ? inputs : {}) };
    setAnswer(await api(op.path, { method: op.isView ? 'GET' : 'POST', query, body: op.isView ? undefined : inputs }));
  });
  const field = (input) => {
    const value = values[input.name];
    const set = (v) => setValues({ ...values, [input.name]: v });
    const { type, enum: choices } = input.schema;
    if (type === 'boolean')
      return html`<input type="checkbox" checked=${value} onChange=${(e) => set(e.target.checked)} />`;
    if (choices)
      return html`<select value=${value} onChange=${(e) => set(e.target.value)}>
        ${!input.required && html`<option value="">—</option>`}
        ${choices.map((c) => html`<option value=${c}>${c}</option>`)}
      </select>`;
    return html`<input
      type=${type === 'number' ? 'number' : looksSecret(input.name) ? 'password' : 'text'}
      required=${input.required}
      autocomplete="off"
      value=${value}
      onInput=${(e) => set(e.target.value)}
    />`;
  };
  return html`<form
    class="card"
    aria-label=${op.id}
    onSubmit=${(e) => {
      e.preventDefault();
      run.run();
    }}
  >
    <h2><span class="badge">${op.isView ? 'view' : 'action'}</span> ${op.id}</h2>
    ${op.summary && html`<p class="muted small">${op.summary}</p>`}
    <div class="inline-form">
      ${op.inputs.map(
        (input) => html`<label key=${input.name} title=${input.description ?? ''}
          >${input.name}${input.required ? ' *' : ''} ${field(input)}</label
        >`,
      )}
      <label
        >Session
        <select value=${sessionId} onChange=${(e) => setSessionId(e.target.value)}>
          <option value="">a fresh context</option>
          ${sessions.map((s) => html`<option value=${s.id}>${s.id.slice(0, 8)}</option>`)}
        </select>
      </label>
      <button type="submit" disabled=${run.busy}>${run.busy ? 'Running…' : op.isView ? 'Read' : 'Run'}</button>
    </div>
    <${ErrorBox} error=${run.error} />
    ${answer && html`<pre class="answer">${JSON.stringify(answer, null, 2)}</pre>`}
  </form>`;
}
