// Sessions: the tenant's sessions, newest first, by status and page; create one (screen size, TTL,
// profile) and terminate one. Listed with the /browser dialect; created and terminated with the
// /public one (seed 001: no idle timeout, and a graceful terminate that saves the profile).
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import {
  ConfirmButton,
  ErrorBox,
  Loading,
  StatusBadge,
  ago,
  duration,
  shortId,
  useAction,
  useLoad,
  useNow,
} from '../ui.js';

const PAGE_SIZE = 20;
const STATUSES = ['', 'active', 'terminated', 'expired'];

export function SessionsPage() {
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const now = useNow();
  const list = useLoad(
    () => api('browser/sessions', { query: { status, limit: PAGE_SIZE, offset } }),
    [status, offset],
    { pollMs: 5000 },
  );
  const profiles = useLoad(() => api('browser/profiles'), []);
  const profileName = (id) => profiles.data?.profiles.find((p) => p.id === id)?.name ?? shortId(id);
  const terminate = useAction(async (id) => {
    await api(`public/sessions/${encodeURIComponent(id)}/terminate`, { method: 'POST' });
    await list.reload();
  });
  const sessions = list.data?.sessions ?? [];
  const total = list.data?.total ?? 0;

  return html`<section>
    <h1>Sessions</h1>
    <${CreateSession}
      profiles=${profiles}
      onCreated=${() => (setStatus(''), setOffset(0), list.reload(), profiles.reload())}
    />
    <div class="toolbar">
      <label
        >Status
        <select
          value=${status}
          onChange=${(e) => (setStatus(e.target.value), setOffset(0))}
          aria-label="Status filter"
        >
          ${STATUSES.map((s) => html`<option value=${s}>${s || 'all'}</option>`)}
        </select>
      </label>
      <span class="muted">
        ${total ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)} of ${total}` : 'none'}
      </span>
      <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
        Newer
      </button>
      <button type="button" disabled=${offset + PAGE_SIZE >= total} onClick=${() => setOffset(offset + PAGE_SIZE)}>
        Older
      </button>
    </div>
    <${ErrorBox} error=${list.error ?? terminate.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table class="sessions">
      <thead>
        <tr>
          <th>Session</th>
          <th>Status</th>
          <th>End reason</th>
          <th>Age</th>
          <th>TTL left</th>
          <th>Screen</th>
          <th>Profile</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${sessions.length === 0 &&
        html`<tr>
          <td colspan="8" class="muted">No sessions${status ? ` with status ${status}` : ''}.</td>
        </tr>`}
        ${sessions.map(
          (s) => html`<tr key=${s.id} data-session=${s.id}>
            <td><a href=${`#/sessions/${s.id}`} class="mono" title=${s.id}>${shortId(s.id)}</a></td>
            <td><${StatusBadge} status=${s.status} /></td>
            <td>${s.endReason ?? '—'}</td>
            <td title=${s.createdAt}>${ago(s.createdAt, now)}</td>
            <td>${s.status === 'active' ? duration(Date.parse(s.expiresAt) - now) : '—'}</td>
            <td>${s.screen.width}×${s.screen.height}</td>
            <td title=${s.profileId ?? ''}>${s.profileId ? profileName(s.profileId) : '—'}</td>
            <td>
              ${s.status === 'active' &&
              html`<${ConfirmButton}
                label="Terminate"
                disabled=${terminate.busy}
                onConfirm=${() => terminate.run(s.id)}
              />`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}

function CreateSession({ profiles, onCreated }) {
  const [form, setForm] = useState({ width: 1280, height: 720, ttl: 600, profileId: '', persist: true });
  const [created, setCreated] = useState(undefined);
  const create = useAction(() =>
    api('public/sessions', {
      method: 'POST',
      body: {
        screen_config: { width: Number(form.width), height: Number(form.height) },
        ttl: Number(form.ttl),
        ...(form.profileId ? { profile_id: form.profileId, persist_changes: form.persist } : {}),
      },
    }),
  );
  const set = (name) => (e) =>
    setForm({ ...form, [name]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });
  const submit = async (event) => {
    event.preventDefault();
    const session = await create.run();
    if (session) {
      setCreated(session);
      onCreated(session);
    }
  };
  return html`<form class="card inline-form" onSubmit=${submit} aria-label="Create session">
    <h2>New session</h2>
    <label>Width <input type="number" min="200" max="7680" value=${form.width} onInput=${set('width')} /></label>
    <label>Height <input type="number" min="200" max="4320" value=${form.height} onInput=${set('height')} /></label>
    <label>TTL (s) <input type="number" min="1" max="86400" value=${form.ttl} onInput=${set('ttl')} /></label>
    <label
      >Profile
      <select value=${form.profileId} onChange=${set('profileId')}>
        <option value="">none</option>
        ${(profiles.data?.profiles ?? []).map(
          (p) => html`<option value=${p.id} disabled=${Boolean(p.inUseBySession)}>
            ${p.name}${p.inUseBySession ? ' (in use)' : ''}
          </option>`,
        )}
      </select>
    </label>
    ${form.profileId &&
    html`<label class="check"
      ><input type="checkbox" checked=${form.persist} onChange=${set('persist')} /> save changes to the profile</label
    >`}
    <button type="submit" disabled=${create.busy}>${create.busy ? 'Creating…' : 'Create session'}</button>
    <${ErrorBox} error=${create.error ?? profiles.error} />
    ${created &&
    !create.error &&
    html`<p class="ok">
      Session <a href=${`#/sessions/${created.session_id}`} class="mono">${shortId(created.session_id)}</a> created.
    </p>`}
  </form>`;
}
