// Bring your own browser (seed 001 `cdp_url`): navis connects to the user's Chromium instead of
// launching one, keeps one CDP connection open to notice when it goes away, and only disconnects.
// The address is the caller's, so whatever answers there is untrusted: every step has a deadline,
// /json/version is read only up to a size and checked field by field before it is used.
import type { CdpConnection } from '../browsers/cdp.js';
import { CdpConnection as Cdp } from '../browsers/cdp.js';
import type { LookupFunction } from 'node:net';
import { NavisError } from '../errors.js';
import { guardedGet, type AddressCheck } from '../network/fetch.js';

/** Each step (the /json/version answer, the WebSocket handshake, the first command) gets this long. */
const STEP_TIMEOUT_MS = 5_000;
/** Chromium's /json/version is well under 1 KiB. */
const MAX_VERSION_BYTES = 64 * 1024;

/**
 * Accepts ws(s)://…/devtools/browser/… or an http(s):// DevTools address (resolved via
 * /json/version). `check` judges each address against the tenant's network policy before navis
 * connects there (it throws the refusal) and gives the lookup that pins the connection to the
 * address it judged: neither cdp_url nor the WebSocket address its /json/version names may lead
 * into another tenant's browser or to an address the policy closes.
 */
export async function connectExternalBrowser(
  cdpUrl: string,
  check: (address: string) => Promise<LookupFunction>,
): Promise<{ wsEndpoint: string; lookup: LookupFunction; monitor: CdpConnection }> {
  let url: URL;
  try {
    url = new URL(cdpUrl);
  } catch {
    throw new NavisError(
      'CDP_CONNECT_FAILED',
      "cdp_url is not a URL: give a ws://…/devtools/browser/… address or the browser's http://host:port.",
    );
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol))
    throw new NavisError('CDP_CONNECT_FAILED', 'cdp_url must start with ws://, wss://, http:// or https://');
  const first = await check(url.href);
  try {
    let wsEndpoint = cdpUrl;
    let lookup = first;
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      wsEndpoint = await resolveVersionEndpoint(url, check);
      lookup = await check(wsEndpoint);
    }
    const monitor = await Cdp.connect(wsEndpoint, STEP_TIMEOUT_MS, { lookup });
    try {
      await monitor.send('Browser.getVersion', {}, undefined, STEP_TIMEOUT_MS);
    } catch (error) {
      monitor.close();
      throw error;
    }
    return { wsEndpoint, lookup, monitor };
  } catch (error) {
    if (error instanceof NavisError) throw error;
    throw new NavisError(
      'CDP_CONNECT_FAILED',
      `Could not connect to the browser at cdp_url: ${(error as Error).message}. Check that the browser runs with --remote-debugging-port and that navis can reach it.`,
    );
  }
}

/** The webSocketDebuggerUrl that `<address>/json/version` names, checked to be a ws(s):// URL. */
async function resolveVersionEndpoint(address: URL, check: AddressCheck): Promise<string> {
  const versionUrl = new URL('json/version', address.href.endsWith('/') ? address.href : `${address.href}/`);
  const where = versionUrl.href;
  const res = await guardedGet(where, check, {
    timeoutMs: STEP_TIMEOUT_MS,
    maxBytes: MAX_VERSION_BYTES,
    maxRedirects: 0,
  });
  if (res.status < 200 || res.status >= 300) throw new Error(`${where} answered ${res.status}`);
  const text = res.text;
  if (text === undefined)
    throw new Error(
      `${where} answered more than ${MAX_VERSION_BYTES / 1024} KiB, which is not a DevTools /json/version`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where} did not answer JSON`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error(`${where} did not answer a JSON object`);
  const named = (body as { webSocketDebuggerUrl?: unknown }).webSocketDebuggerUrl;
  if (typeof named !== 'string' || !named) throw new Error(`${where} did not name a webSocketDebuggerUrl`);
  if (!URL.canParse(named) || !['ws:', 'wss:'].includes(new URL(named).protocol)) {
    throw new Error(`${where} named a webSocketDebuggerUrl that is not a ws:// or wss:// URL`);
  }
  return named;
}
