// Browser profiles: named browser states (cookies, logins, storage) a session can start from.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ConfirmButton, ErrorBox, Loading, ago, shortId, useAction, useLoad } from '../ui.js';

export function ProfilesPage() {
  const list = useLoad(() => api('browser/profiles'), []);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    await api('browser/profiles', { method: 'POST', body: { name } });
    setName('');
    await list.reload();
  });
  const remove = useAction(async (id) => {
    await api(`browser/profiles/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await list.reload();
  });
  const profiles = list.data?.profiles ?? [];
  return html`<section>
    <h1>Profiles</h1>
    <p class="muted">A profile keeps a browser's cookies, logins and storage; a session started from it begins there.</p>
    <form
      class="card inline-form"
      aria-label="Create profile"
      onSubmit=${(e) => {
        e.preventDefault();
        create.run();
      }}
    >
      <label>Name <input required maxlength="200" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <button type="submit" disabled=${create.busy}>Create profile</button>
    </form>
    <${ErrorBox} error=${list.error ?? create.error ?? remove.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table>
      <thead>
        <tr>
          <th>Name</th>
          <th>Id</th>
          <th>Created</th>
          <th>Updated</th>
          <th>In use by</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${profiles.length === 0 &&
        html`<tr>
          <td colspan="6" class="muted">No profiles.</td>
        </tr>`}
        ${profiles.map(
          (p) => html`<tr key=${p.id}>
            <td>${p.name}</td>
            <td class="mono" title=${p.id}>${shortId(p.id)}</td>
            <td>${ago(p.createdAt)}</td>
            <td>${ago(p.updatedAt)}</td>
            <td>
              ${p.inUseBySession
                ? html`<a class="mono" href=${`#/sessions/${p.inUseBySession}`}>${shortId(p.inUseBySession)}</a>`
                : '—'}
            </td>
            <td><${ConfirmButton} label="Delete" onConfirm=${() => remove.run(p.id)} /></td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
