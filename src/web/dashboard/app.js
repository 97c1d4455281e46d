// The dashboard's shell: sign in with an API key, the navigation, and hash routes to the pages
// (#/sessions, #/sessions/<id>, #/cache, #/sites, #/usage, #/profiles, #/credentials, #/tenants).
import { html, render, useEffect, useState } from './vendor/preact-htm.js';
import { ApiError, api, apiKey, whenUnauthorized } from './api.js';
import { ErrorBox } from './ui.js';
import { SessionsPage } from './pages/sessions.js';
import { SessionPage } from './pages/session.js';
import { CachePage, CacheEntryPage } from './pages/cache.js';
import { SitesPage, SitePage } from './pages/sites.js';
import { UsagePage } from './pages/usage.js';
import { ProfilesPage } from './pages/profiles.js';
import { CredentialsPage } from './pages/credentials.js';
import { TenantsPage, TenantPage } from './pages/tenants.js';

const PAGES = [
  { path: 'sessions', label: 'Sessions', list: SessionsPage, item: SessionPage },
  { path: 'cache', label: 'Step cache', list: CachePage, item: CacheEntryPage },
  { path: 'sites', label: 'Sites', list: SitesPage, item: SitePage },
  { path: 'usage', label: 'Usage', list: UsagePage },
  { path: 'profiles', label: 'Profiles', list: ProfilesPage },
  { path: 'credentials', label: 'Credentials', list: CredentialsPage },
  { path: 'tenants', label: 'Tenants and keys', list: TenantsPage, item: TenantPage, admin: true },
];

/** '#/sessions/abc' → { path: 'sessions', id: 'abc' } */
function parseHash() {
  const [path, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { path: path || 'sessions', id: rest.length ? decodeURIComponent(rest.join('/')) : undefined };
}

function useRoute() {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const update = () => setRoute(parseHash());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

function SignIn({ onSignedIn, notice }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api('browser/me', { key: key.trim() });
      apiKey.set(key.trim());
      onSignedIn(me);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="signin">
    <h1>navis</h1>
    <p class="muted">Self-hosted browser automation server.</p>
    <form onSubmit=${submit}>
      <label for="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autocomplete="off"
        required
        value=${key}
        onInput=${(e) => setKey(e.target.value)}
      />
      <button type="submit" disabled=${busy || !key.trim()}>Sign in</button>
      <${ErrorBox} error=${error} />
    </form>
    <p class="muted small">
      The key is kept in this tab only (sessionStorage) and sent as X-API-Key. The admin key is printed at navis's
      first start, or set with NAVIS_API_KEY.
    </p>
    <p class="small"><a href="docs">API docs</a> · <a href="openapi.json">OpenAPI document</a></p>
  </main>`;
}

function Shell({ me, onSignOut }) {
  const route = useRoute();
  const pages = PAGES.filter((page) => !page.admin || me.isAdmin);
  const page = pages.find((p) => p.path === route.path);
  const Page = page && (route.id !== undefined && page.item ? page.item : page.list);
  return html`<div class="shell">
    <header>
      <a class="brand" href="#/sessions">navis</a>
      <nav>
        ${pages.map(
          (p) => html`<a key=${p.path} href=${`#/${p.path}`} class=${p === page ? 'active' : ''}>${p.label}</a>`,
        )}
      </nav>
      <span class="who">
        ${me.tenantName}${me.isAdmin ? ' (admin)' : ''}
        <a href="docs" target="_blank" rel="noopener">API docs</a>
        <a href="openapi.json" target="_blank" rel="noopener">OpenAPI</a>
        <button type="button" onClick=${onSignOut}>Sign out</button>
      </span>
    </header>
    <main>
      ${Page
        ? html`<${Page} key=${`${route.path}/${route.id ?? ''}`} id=${route.id} me=${me} />`
        : html`<p class="error" role="alert">
            ${PAGES.some((p) => p.path === route.path && p.admin)
              ? 'This page needs the admin API key.'
              : `No page ${location.hash}.`}${' '}
            <a href="#/sessions">Sessions</a>
          </p>`}
    </main>
  </div>`;
}

function App() {
  const [me, setMe] = useState(undefined);
  const [checking, setChecking] = useState(Boolean(apiKey.get()));
  const [notice, setNotice] = useState(undefined);

  const signOut = (why) => {
    apiKey.clear();
    setMe(undefined);
    setNotice(why);
  };

  useEffect(() => {
    if (!apiKey.get()) return;
    api('browser/me')
      .then(setMe)
      .catch((error) => signOut(error))
      .finally(() => setChecking(false));
  }, []);

  useEffect(
    () =>
      whenUnauthorized((error) =>
        signOut(new ApiError(401, `Signed out: navis refused the key (${error.message}).`)),
      ),
    [],
  );

  if (checking) return html`<p class="muted">Loading…</p>`;
  if (!me) return html`<${SignIn} notice=${notice} onSignedIn=${(m) => (setNotice(undefined), setMe(m))} />`;
  return html`<${Shell}
    me=${me}
    onSignOut=${() => {
      location.hash = '#/sessions';
      signOut(undefined);
    }}
  />`;
}

render(html`<${App} />`, document.getElementById('app'));
