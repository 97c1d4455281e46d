// The step cache: each entry (a natural-language action's `id`) with how often it replayed
// without a model, how often it healed, and when its steps last failed; an entry's steps; delete.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ConfirmButton, ErrorBox, Loading, ago, localTime, useAction, useLoad } from '../ui.js';

const PAGE_SIZE = 50;
const clip = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);
const entryPath = (id) => `public/step-cache/${encodeURIComponent(id)}`;

export function CachePage() {
  const [offset, setOffset] = useState(0);
  const list = useLoad(() => api('public/step-cache', { query: { limit: PAGE_SIZE, offset } }), [offset]);
  const remove = useAction(async (id) => {
    await api(entryPath(id), { method: 'DELETE' });
    await list.reload();
  });
  const entries = list.data?.entries ?? [];
  const total = list.data?.total ?? 0;
  return html`<section>
    <h1>Step cache</h1>
    <p class="muted">
      A natural-language action run with an <code>id</code> stores the steps that did it; later runs replay them
      without a model, and heal the entry when the page changed.
    </p>
    <div class="toolbar">
      <span class="muted">${total ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)} of ${total}` : ''}</span>
      <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
        Previous
      </button>
      <button type="button" disabled=${offset + PAGE_SIZE >= total} onClick=${() => setOffset(offset + PAGE_SIZE)}>
        Next
      </button>
    </div>
    <${ErrorBox} error=${list.error ?? remove.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table>
      <thead>
        <tr>
          <th>Id</th>
          <th>Action</th>
          <th>Steps</th>
          <th>Replays</th>
          <th>Heals</th>
          <th>Last used</th>
          <th>Last failure</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${entries.length === 0 &&
        html`<tr>
          <td colspan="8" class="muted">No cached actions yet.</td>
        </tr>`}
        ${entries.map(
          (e) => html`<tr key=${e.id}>
            <td><a href=${`#/cache/${encodeURIComponent(e.id)}`}>${e.id}</a></td>
            <td>${e.action}</td>
            <td>${e.step_count}</td>
            <td>${e.replays}</td>
            <td>${e.heals}</td>
            <td>${ago(e.last_used_at)}</td>
            <td>
              ${e.last_failure
                ? html`<span title=${e.last_failure.detail}>${ago(e.last_failure.at)}: ${clip(e.last_failure.detail, 80)}</span>`
                : html`<span class="muted">never</span>`}
            </td>
            <td><${ConfirmButton} label="Delete" onConfirm=${() => remove.run(e.id)} /></td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}

export function CacheEntryPage({ id }) {
  const entry = useLoad(() => api(entryPath(id)), [id]);
  const [deleted, setDeleted] = useState(false);
  const remove = useAction(async () => {
    await api(entryPath(id), { method: 'DELETE' });
    setDeleted(true);
  });
  const e = entry.data;
  return html`<section>
    <p><a href="#/cache">← Step cache</a></p>
    <h1>Cache entry <span class="mono">${id}</span></h1>
    <${ErrorBox} error=${entry.error ?? remove.error} />
    <${Loading} when=${entry.loading && !e} />
    ${deleted && html`<p class="ok">Deleted. The next run with this id plans again.</p>`}
    ${e &&
    !deleted &&
    html`<table class="facts">
        <tbody>
          <tr>
            <th>Action</th>
            <td>${e.action}</td>
          </tr>
          <tr>
            <th>Planner</th>
            <td>${e.planner}</td>
          </tr>
          <tr>
            <th>Replays / heals</th>
            <td>${e.replays} / ${e.heals}</td>
          </tr>
          <tr>
            <th>Created / updated</th>
            <td>${localTime(e.created_at)} / ${localTime(e.updated_at)}</td>
          </tr>
          <tr>
            <th>Last used</th>
            <td>${localTime(e.last_used_at)}</td>
          </tr>
          <tr>
            <th>Last failure</th>
            <td>${e.last_failure ? `${localTime(e.last_failure.at)}: ${e.last_failure.detail}` : 'never'}</td>
          </tr>
        </tbody>
      </table>
      <p><${ConfirmButton} label="Delete" question="Delete this entry?" onConfirm=${remove.run} /></p>
      <h2>Steps</h2>
      <ol class="cached-steps">
        ${e.steps.map((step, i) => html`<li key=${i}><code>${JSON.stringify(step)}</code></li>`)}
      </ol>`}
  </section>`;
}
