// Credentials: the vault's logins for the authenticate action. Only names and domains are shown:
// username, password and TOTP secret go in once and never come back out of navis.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ConfirmButton, ErrorBox, Loading, ago, shortId, useAction, useLoad } from '../ui.js';

const EMPTY = { name: '', domains: '', username: '', password: '', totpSecret: '' };

export function CredentialsPage() {
  const list = useLoad(() => api('browser/credentials'), []);
  const [form, setForm] = useState(EMPTY);
  const set = (name) => (e) => setForm({ ...form, [name]: e.target.value });
  const create = useAction(async () => {
    await api('browser/credentials', {
      method: 'POST',
      body: {
        name: form.name,
        allowedDomains: form.domains
          .split(/[\s,]+/)
          .map((d) => d.trim())
          .filter(Boolean),
        username: form.username,
        password: form.password,
        ...(form.totpSecret.trim() ? { totpSecret: form.totpSecret.trim() } : {}),
      },
    });
    setForm(EMPTY);
    await list.reload();
  });
  const remove = useAction(async (id) => {
    await api(`browser/credentials/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await list.reload();
  });
  const credentials = list.data?.credentials ?? [];
  return html`<section>
    <h1>Credentials</h1>
    <p class="muted">
      Logins the authenticate action fills in, only on the domains named. Secrets are stored encrypted and never shown
      again.
    </p>
    <form
      class="card inline-form"
      aria-label="Create credential"
      autocomplete="off"
      onSubmit=${(e) => {
        e.preventDefault();
        create.run();
      }}
    >
      <label>Name <input required value=${form.name} onInput=${set('name')} /></label>
      <label class="grow"
        >Domains <input required placeholder="login.example.com, *.example.com" value=${form.domains} onInput=${set('domains')}
      /></label>
      <label>Username <input required autocomplete="off" value=${form.username} onInput=${set('username')} /></label>
      <label
        >Password
        <input type="password" required autocomplete="new-password" value=${form.password} onInput=${set('password')}
      /></label>
      <label
        >TOTP secret
        <input type="password" autocomplete="off" placeholder="optional" value=${form.totpSecret} onInput=${set('totpSecret')}
      /></label>
      <button type="submit" disabled=${create.busy}>Store credential</button>
    </form>
    <${ErrorBox} error=${list.error ?? create.error ?? remove.error} />
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table>
      <thead>
        <tr>
          <th>Name</th>
          <th>Domains</th>
          <th>Id</th>
          <th>TOTP</th>
          <th>Updated</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${credentials.length === 0 &&
        html`<tr>
          <td colspan="6" class="muted">No credentials.</td>
        </tr>`}
        ${credentials.map(
          (c) => html`<tr key=${c.id}>
            <td>${c.name}</td>
            <td>${c.allowedDomains.join(', ')}</td>
            <td class="mono" title=${c.id}>${shortId(c.id)}</td>
            <td>${c.hasTotp ? 'yes' : 'no'}</td>
            <td>${ago(c.updatedAt)}</td>
            <td><${ConfirmButton} label="Delete" onConfirm=${() => remove.run(c.id)} /></td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
