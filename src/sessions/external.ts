// Bring your own browser (seed 001 `cdp_url`): navis connects to the user's Chromium instead of
// launching one, keeps one CDP connection open to notice when it goes away, and only disconnects.
import type { CdpConnection } from '../browsers/cdp.js';
import { CdpConnection as Cdp } from '../browsers/cdp.js';
import { NavisError } from '../errors.js';

/** Accepts ws(s)://…/devtools/browser/… or an http(s):// DevTools address (resolved via /json/version). */
export async function connectExternalBrowser(cdpUrl: string): Promise<{ wsEndpoint: string; monitor: CdpConnection }> {
  let wsEndpoint = cdpUrl;
  try {
    const url = new URL(cdpUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      const versionUrl = new URL('json/version', url.href.endsWith('/') ? url.href : `${url.href}/`);
      const res = await fetch(versionUrl, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`${versionUrl.href} answered ${res.status}`);
      const body = (await res.json()) as { webSocketDebuggerUrl?: string };
      if (!body.webSocketDebuggerUrl) throw new Error(`${versionUrl.href} did not name a webSocketDebuggerUrl`);
      wsEndpoint = body.webSocketDebuggerUrl;
    } else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      throw new Error('cdp_url must start with ws://, wss://, http:// or https://');
    }
    const monitor = await Cdp.connect(wsEndpoint, 5000);
    await monitor.send('Browser.getVersion', {}, undefined, 5000);
    return { wsEndpoint, monitor };
  } catch (error) {
    throw new NavisError(
      'CDP_CONNECT_FAILED',
      `Could not connect to the browser at cdp_url: ${(error as Error).message}. Check that the browser runs with --remote-debugging-port and that navis can reach it.`,
    );
  }
}
