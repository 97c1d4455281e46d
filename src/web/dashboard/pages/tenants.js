// Tenants and keys (admin key only): list and create tenants, list, create and revoke their API
// keys. A new key is shown once, here, and never again.
import { html, useState } from '../vendor/preact-htm.js';
import { api } from '../api.js';
import { ConfirmButton, ErrorBox, Loading, ago, useAction, useLoad } from '../ui.js';

const tenantPath = (id) => `admin/tenants/${encodeURIComponent(id)}`;

function NewKey({ apiKey }) {
  if (!apiKey) return null;
  return html`<div class="newkey" role="status">
    <p><strong>The new API key, shown once:</strong> copy it now; navis keeps only its hash.</p>
    <input class="mono wide" readonly value=${apiKey} aria-label="New API key" onFocus=${(e) => e.target.select()} />
  </div>`;
}

export function TenantsPage() {
  const list = useLoad(() => api('admin/tenants'), []);
  const [name, setName] = useState('');
  const [created, setCreated] = useState(undefined);
  const create = useAction(async () => {
    const tenant = await api('admin/tenants', { method: 'POST', body: { name } });
    setName('');
    setCreated(tenant);
    await list.reload();
  });
  const tenants = list.data?.tenants ?? [];
  return html`<section>
    <h1>Tenants and keys</h1>
    <form
      class="card inline-form"
      aria-label="Create tenant"
      onSubmit=${(e) => {
        e.preventDefault();
        create.run();
      }}
    >
      <label>Name <input required maxlength="200" value=${name} onInput=${(e) => setName(e.target.value)} /></label>
      <button type="submit" disabled=${create.busy}>Create tenant</button>
    </form>
    <${ErrorBox} error=${list.error ?? create.error} />
    ${created &&
    html`<p class="ok">Tenant <a href=${`#/tenants/${created.id}`}>${created.name}</a> created.</p>
      <${NewKey} apiKey=${created.api_key} />`}
    <${Loading} when=${list.loading && !list.data} />
    ${list.data &&
    html`<table>
      <thead>
        <tr>
          <th>Name</th>
          <th>Id</th>
          <th>Created</th>
          <th>Private network</th>
          <th>Max sessions</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        ${tenants.map(
          (t) => html`<tr key=${t.id}>
            <td><a href=${`#/tenants/${t.id}`}>${t.name}</a></td>
            <td class="mono">${t.id}</td>
            <td>${ago(t.created_at)}</td>
            <td>${t.network.allowPrivate ? 'allowed' : 'refused'}</td>
            <td>${t.limits.maxSessions}</td>
            <td>${t.disabled ? html`<span class="badge badge-terminated">disabled</span>` : 'enabled'}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}

export function TenantPage({ id }) {
  const tenant = useLoad(() => api(tenantPath(id)), [id]);
  const keys = useLoad(() => api(`${tenantPath(id)}/keys`), [id]);
  const [label, setLabel] = useState('');
  const [newKey, setNewKey] = useState(undefined);
  const create = useAction(async () => {
    const key = await api(`${tenantPath(id)}/keys`, { method: 'POST', body: label.trim() ? { label } : {} });
    setLabel('');
    setNewKey(key.api_key);
    await keys.reload();
  });
  const revoke = useAction(async (keyId) => {
    await api(`admin/keys/${encodeURIComponent(keyId)}`, { method: 'DELETE' });
    await keys.reload();
  });
  const list = keys.data?.keys ?? [];
  return html`<section>
    <p><a href="#/tenants">← Tenants</a></p>
    <h1>Tenant ${tenant.data?.name ?? ''}</h1>
    <p class="mono muted">${id}</p>
    <${ErrorBox} error=${tenant.error ?? keys.error ?? create.error ?? revoke.error} />
    <h2>API keys</h2>
    <form
      class="card inline-form"
      aria-label="Create key"
      onSubmit=${(e) => {
        e.preventDefault();
        create.run();
      }}
    >
      <label>Label <input maxlength="200" placeholder="optional" value=${label} onInput=${(e) => setLabel(e.target.value)} /></label>
      <button type="submit" disabled=${create.busy}>Create key</button>
    </form>
    <${NewKey} apiKey=${newKey} />
    <${Loading} when=${keys.loading && !keys.data} />
    ${keys.data &&
    html`<table>
      <thead>
        <tr>
          <th>Prefix</th>
          <th>Label</th>
          <th>Admin</th>
          <th>Created</th>
          <th>Last used</th>
          <th>State</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (k) => html`<tr key=${k.id}>
            <td class="mono">${k.prefix}…</td>
            <td>${k.label ?? '—'}</td>
            <td>${k.is_admin ? 'yes' : ''}</td>
            <td>${ago(k.created_at)}</td>
            <td>${ago(k.last_used_at)}</td>
            <td>${k.revoked_at ? html`<span class="badge badge-terminated">revoked</span>` : 'active'}</td>
            <td>
              ${!k.revoked_at &&
              !k.is_admin &&
              html`<${ConfirmButton}
                label="Revoke"
                question="Revoke this key? Its sessions end."
                onConfirm=${() => revoke.run(k.id)}
              />`}
            </td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  </section>`;
}
