// One session: its facts, its live view (the session's own live_url in a frame: watch, take
// control), its files (upload, download, delete) and its recent tasks and actions with their step
// logs and a picture of the page each left.
import { html, useRef } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import {
  ConfirmButton,
  ErrorBox,
  Loading,
  StatusBadge,
  ago,
  bytes,
  duration,
  localTime,
  saveBlob,
  useAction,
  useLoad,
  useNow,
} from '../ui.js';

const path = (id) => `browser/sessions/${encodeURIComponent(id)}`;

export function SessionPage({ id }) {
  const now = useNow();
  const session = useLoad(() => api(path(id)), [id], { pollMs: 5000 });
  const terminate = useAction(async () => {
    await api(`public/sessions/${encodeURIComponent(id)}/terminate`, { method: 'POST' });
    await session.reload();
  });
  const s = session.data;
  const active = s?.status === 'active';

  return html`<section>
    <p><a href="#/sessions">← Sessions</a></p>
    <h1>Session <span class="mono">${id}</span></h1>
    <${ErrorBox} error=${session.error ?? terminate.error} />
    <${Loading} when=${session.loading && !s} />
    ${s &&
    html`<div class="columns">
        <table class="facts">
          <tbody>
            <tr>
              <th>Status</th>
              <td><${StatusBadge} status=${s.status} /> ${s.endReason ? html`<span>(${s.endReason})</span>` : ''}</td>
            </tr>
            <tr>
              <th>Created</th>
              <td title=${localTime(s.createdAt)}>${ago(s.createdAt, now)}</td>
            </tr>
            <tr>
              <th>TTL left</th>
              <td>${active ? duration(Date.parse(s.expiresAt) - now) : '—'} (TTL ${duration(s.ttlSeconds * 1000)})</td>
            </tr>
            <tr>
              <th>Screen</th>
              <td>${s.screen.width}×${s.screen.height}</td>
            </tr>
            <tr>
              <th>Profile</th>
              <td class=${s.profileId ? 'mono' : ''}>${s.profileId ?? '—'}</td>
            </tr>
            <tr>
              <th>CDP URL</th>
              <td><input class="mono wide" readonly value=${s.cdpUrl} aria-label="CDP URL" /></td>
            </tr>
            ${s.awaitingUser &&
            html`<tr>
              <th>Waiting for you</th>
              <td class="warn">${s.awaitingUser.reason}: log in through the live view.</td>
            </tr>`}
          </tbody>
        </table>
        <div>
          ${active &&
          html`<${ConfirmButton}
            label="Terminate"
            question="Terminate this session?"
            disabled=${terminate.busy}
            onConfirm=${terminate.run}
          />`}
        </div>
      </div>
      <h2>Live view</h2>
      ${active
        ? html`<${LiveView} session=${s} />`
        : html`<p class="muted">The session has ended; its live view is closed.</p>`}
      <h2>Files</h2>
      ${active
        ? html`<${Files} id=${id} />`
        : html`<p class="muted">A session's files go when it ends.</p>`}
      <h2>Recent tasks and actions</h2>
      <${Runs} id=${id} active=${active} />`}
  </section>`;
}

/** The live view page of the session, framed from the dashboard's own origin (frame-ancestors 'self'). */
function LiveView({ session }) {
  const live = new URL(session.liveViewUrl, location.href);
  const src = live.origin === location.origin ? live.href : new URL(live.pathname + live.search, location.href).href;
  const ratio = `${session.screen.width} / ${session.screen.height}`;
  return html`<div class="live">
    <iframe title="Live view" src=${src} ref=${(el) => el && (el.style.aspectRatio = ratio)}></iframe>
    <p class="small">
      Watch the session, or take control from the view.${' '}
      <a href=${src} target="_blank" rel="noopener">Open the live view in a new tab</a>
    </p>
  </div>`;
}

function Files({ id }) {
  const files = useLoad(() => api(`${path(id)}/files`), [id]);
  const input = useRef(null);
  const upload = useAction(async () => {
    const chosen = [...(input.current?.files ?? [])];
    if (chosen.length === 0) throw new Error('Choose one or more files to upload first.');
    const form = new FormData();
    for (const file of chosen) form.append('file', file, file.name);
    await api(`${path(id)}/files`, { method: 'POST', body: form });
    input.current.value = '';
    await files.reload();
  });
  const download = useAction(async (filename) =>
    saveBlob(await api(`${path(id)}/files/${encodeURIComponent(filename)}`, { as: 'blob' }), filename),
  );
  const remove = useAction(async (filename) => {
    await api(`${path(id)}/files/${encodeURIComponent(filename)}`, { method: 'DELETE' });
    await files.reload();
  });
  const list = files.data?.files ?? [];
  return html`<div>
    <form
      class="inline-form"
      onSubmit=${(e) => {
        e.preventDefault();
        upload.run();
      }}
    >
      <label>Upload <input type="file" multiple ref=${input} aria-label="Files to upload" /></label>
      <button type="submit" disabled=${upload.busy}>${upload.busy ? 'Uploading…' : 'Upload'}</button>
    </form>
    <${ErrorBox} error=${files.error ?? upload.error ?? download.error ?? remove.error} />
    <table class="files">
      <thead>
        <tr>
          <th>File</th>
          <th>Size</th>
          <th>Added</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${files.data &&
        list.length === 0 &&
        html`<tr>
          <td colspan="4" class="muted">No files. Uploads are what the uploadFile action takes; downloads land here.</td>
        </tr>`}
        ${list.map(
          (f) => html`<tr key=${f.filename}>
            <td>${f.filename}</td>
            <td>${bytes(f.size)}</td>
            <td>${ago(f.createdAt)}</td>
            <td class="actions">
              <button type="button" onClick=${() => download.run(f.filename)}>Download</button>
              <${ConfirmButton} label="Delete" onConfirm=${() => remove.run(f.filename)} />
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function Runs({ id, active }) {
  const runs = useLoad(() => api(`${path(id)}/runs`), [id], { pollMs: active ? 5000 : undefined });
  const list = runs.data?.runs ?? [];
  return html`<div>
    <${ErrorBox} error=${runs.error} />
    ${runs.data &&
    list.length === 0 &&
    html`<p class="muted">
      Nothing has run on this session yet (since navis started). Tasks (POST /browser/sessions/{id}/tasks) and
      natural-language actions show here.
    </p>`}
    ${list.map((run) => html`<${Run} key=${run.id} run=${run} />`)}
  </div>`;
}

function Run({ run }) {
  return html`<details class="run">
    <summary>
      <span class=${`badge badge-${run.success ? 'ok' : 'failed'}`}>${run.success ? 'ok' : 'failed'}</span>
      <span class="muted">${run.kind === 'task' ? 'task' : 'action'}</span>
      <span class="run-title">${run.title}</span>
      <span class="muted" title=${localTime(run.startedAt)}>${ago(run.startedAt)} · ${duration(run.durationMs)}</span>
    </summary>
    <div class="run-body">
      ${run.screenshot &&
      html`<img
        class="thumb"
        alt="The page after the run"
        src=${`data:image/jpeg;base64,${run.screenshot}`}
      />`}
      <div>
        ${run.url && html`<p class="small">Page: <span class="mono">${run.url}</span></p>`}
        ${run.error && html`<p class="error">${run.error}</p>`}
        ${run.result && html`<p>Result: ${run.result}</p>`}
        ${run.cache &&
        html`<p class="small">
          Cache <a href=${`#/cache/${encodeURIComponent(run.cache.id)}`}>${run.cache.id}</a>:${' '}
          ${run.cache.used ? (run.cache.failed ? 'replay failed, planned again' : 'replayed') : 'not used'}
          ${run.cache.stored ? ', stored' : ''}
        </p>`}
        ${run.credits !== undefined && html`<p class="small">Credits: ${run.credits}</p>`}
        <table class="steps">
          <thead>
            <tr>
              <th>Step</th>
              <th>Status</th>
              <th>Time</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            ${run.steps.length === 0 &&
            html`<tr>
              <td colspan="4" class="muted">No steps ran.</td>
            </tr>`}
            ${run.steps.map(
              (step, i) => html`<tr key=${i} class=${step.status === 'failed' ? 'failed' : ''}>
                <td>${step.name}</td>
                <td>${step.status}</td>
                <td>${step.durationMs === null ? '' : `${Math.round(step.durationMs)} ms`}</td>
                <td>${step.error ?? step.detail ?? ''}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>
  </details>`;
}
