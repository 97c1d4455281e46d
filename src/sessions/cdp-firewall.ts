// The CDP proxy as a firewall: every command a tenant's client sends over cdp_url passes here
// before the browser sees it. Playwright and Puppeteer keep everything they need; what would reach
// past the session is refused (a CDP error naming the rule) or pointed back inside it:
//   - URLs a page is sent to (Page.navigate, Target.createTarget, and URL rewrites of intercepted
//     requests) pass the same scheme check as every navigation navis starts (network/urls.ts);
//   - file paths (DOM.setFileInputFiles, dropped files) must lie in the session's files folder;
//   - downloads go into the session's files folder, whatever folder the client names;
//   - a context with a proxy of its own would go around the egress guard: refused;
//   - commands that open a side door (a page-side protocol binding, remote target discovery,
//     port tethering, extensions, PWA installs from files) are refused outright.
// Commands wrapped in Target.sendMessageToTarget are judged the same way. The command the browser
// gets is the one that was judged, re-serialised, so no parser difference can slip past.
import path from 'node:path';
import { schemeRefusal, type SchemeRules } from '../network/urls.js';

export interface FirewallRules {
  schemes: SchemeRules;
  /** The session's files folder: file inputs take files from it, downloads land in it. */
  filesFolder: string;
}

export type Verdict = { ok: true; message: Record<string, unknown> } | { ok: false; error: string };

interface Command {
  id?: unknown;
  method?: unknown;
  params?: Record<string, unknown>;
  sessionId?: unknown;
}

/** Domains and methods no client may use: each opens a way around the session. */
const REFUSED: Record<string, string> = {
  'Target.exposeDevToolsProtocol': 'it would hand a page the browser-wide protocol, past this firewall',
  'Target.setRemoteLocations': 'it makes the browser connect to addresses of your choosing, past the egress guard',
  'Target.openDevTools': 'DevTools windows are not available on navis browsers',
  'Browser.executeBrowserCommand': 'browser commands are not available on navis browsers',
  'Browser.getBrowserCommandLine': "the browser's command line is navis's own",
  'Network.loadNetworkResource':
    'it loads resources outside the page and its egress rules; fetch them from the page instead',
};
const REFUSED_DOMAINS: Record<string, string> = {
  Tethering: 'port tethering would open ports of the browser to you',
  Extensions: 'extensions cannot be loaded into navis browsers',
  PWA: 'installing web apps is not available on navis browsers',
};

/** Judges one command; the message to forward (possibly rewritten) or the refusal. */
export function screenCommand(command: unknown, rules: FirewallRules, depth = 0): Verdict {
  if (!command || typeof command !== 'object' || Array.isArray(command))
    return { ok: false, error: 'a CDP command is a JSON object' };
  const message = command as Command;
  if (typeof message.method !== 'string') return { ok: true, message: message as Record<string, unknown> };
  const method = message.method;
  const params =
    message.params && typeof message.params === 'object' && !Array.isArray(message.params) ? message.params : {};
  const refuse = (why: string): Verdict => ({ ok: false, error: `navis refused ${method}: ${why}` });
  const domain = method.split('.')[0];
  if (REFUSED[method]) return refuse(REFUSED[method]);
  if (REFUSED_DOMAINS[domain]) return refuse(REFUSED_DOMAINS[domain]);
  const withParams = (next: Record<string, unknown>): Verdict => ({ ok: true, message: { ...message, params: next } });

  switch (method) {
    case 'Page.navigate':
    case 'Target.createTarget': {
      const url = params.url;
      if (url === undefined && method === 'Target.createTarget') return withParams(params);
      if (typeof url !== 'string') return refuse('url must be a string');
      const refusal = url === '' && method === 'Target.createTarget' ? undefined : schemeRefusal(url, rules.schemes);
      return refusal ? refuse(refusal) : withParams(params);
    }
    case 'Fetch.continueRequest':
    case 'Network.continueInterceptedRequest': {
      if (params.url === undefined) return withParams(params);
      if (typeof params.url !== 'string' || !/^https?:$/.test(schemeOf(params.url)))
        return refuse('an intercepted request may be rewritten only to an http(s) URL');
      return withParams(params);
    }
    case 'DOM.setFileInputFiles': {
      const files = insideFolder(params.files, rules.filesFolder);
      return typeof files === 'string' ? refuse(files) : withParams({ ...params, files });
    }
    case 'Input.dispatchDragEvent': {
      const data = params.data as { files?: unknown } | undefined;
      if (!data || typeof data !== 'object' || data.files === undefined) return withParams(params);
      const files = insideFolder(data.files, rules.filesFolder);
      return typeof files === 'string' ? refuse(files) : withParams({ ...params, data: { ...data, files } });
    }
    case 'Browser.setDownloadBehavior':
    case 'Page.setDownloadBehavior': {
      const { behavior } = params;
      if (behavior !== 'allow' && behavior !== 'allowAndName') return withParams(params);
      // Downloads land in the session files, named as the site names them, so the files API lists them.
      return withParams({ ...params, behavior: 'allow', downloadPath: rules.filesFolder });
    }
    case 'Target.createBrowserContext': {
      if (params.proxyServer !== undefined || params.proxyBypassList !== undefined) {
        return refuse(
          'a context with its own proxy would go around the session\'s egress guard; create the session with a proxy instead (POST /browser/sessions {"proxy": {...}})',
        );
      }
      return withParams(params);
    }
    case 'Target.sendMessageToTarget': {
      if (depth > 2 || typeof params.message !== 'string') return refuse('message must be a CDP command as a string');
      let inner: unknown;
      try {
        inner = JSON.parse(params.message);
      } catch {
        return refuse('message is not JSON');
      }
      const verdict = screenCommand(inner, rules, depth + 1);
      return verdict.ok ? withParams({ ...params, message: JSON.stringify(verdict.message) }) : verdict;
    }
    default:
      return { ok: true, message: message as Record<string, unknown> };
  }
}

/**
 * The paths as the browser gets them (absolute, each inside the session's files folder), or why
 * the list is refused. A relative path is judged against the folder and sent on as the absolute
 * path that was judged: passed on as it came, it would mean something else to Chromium (its own
 * working directory; today Chromium kills the page's renderer instead).
 */
function insideFolder(files: unknown, folder: string): string[] | string {
  if (!Array.isArray(files) || files.some((f) => typeof f !== 'string')) return 'files must be a list of paths';
  const base = path.resolve(folder);
  const resolved: string[] = [];
  for (const file of files as string[]) {
    const absolute = path.resolve(base, file);
    if (!absolute.startsWith(`${base}${path.sep}`) || file.includes('\0')) {
      return `files may come only from this session's files (upload them with POST /browser/sessions/{id}/files, then name them as ${base}${path.sep}<filename>); '${file.slice(0, 200)}' is outside`;
    }
    resolved.push(absolute);
  }
  return resolved;
}

function schemeOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}
