// Where a credential may be typed. Two rules, applied to every document between the tab's top page
// and the element a secret goes into:
//   - its host is one of the credential's allowedDomains (else 422 DOMAIN_MISMATCH, domain_mismatch);
//   - it is https, or http on a loopback host, or the credential has allowInsecure (else 422
//     ACTION_FAILED, insecure_page): plain http elsewhere hands the secret to anyone on the path.
// guardedOn() checks right before each fill, click and Enter, on the very element acted on: a
// consent click, a two-step submit or a script may have moved the page, or the field may sit in a
// cross-origin frame of an allowed page.
import type { ElementHandle, Frame, Locator, Page } from 'playwright-core';
import { withDeadline } from '../browsers/deadline.js';
import { NavisError } from '../errors.js';
import { hostAllowed } from './domains.js';

export interface FillPolicy {
  allowedDomains: string[];
  allowInsecure: boolean;
}

/** How long the look at an element's document may take before the fill is refused. */
const PLACE_CHECK_MS = 2_000;

/** localhost and its sub-domains, 127.0.0.0/8 and [::1]: names Chromium never sends to the network. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why `url` is no place for the credential, or undefined when it is one. `where` names the document
 * in the message: "the page" for the top page, "the password field's frame" for a frame.
 */
export function placeRefusal(url: string, policy: FillPolicy, where = 'the page'): NavisError | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // no URL at all: refused below
  }
  const host = parsed && /^https?:$/.test(parsed.protocol) ? parsed.hostname : '';
  if (!host || !hostAllowed(host, policy.allowedDomains)) {
    const on = host ? `on '${host}', which is not one of` : `at '${url || 'no URL'}', which has no host to match`;
    return new NavisError(
      'DOMAIN_MISMATCH',
      `domain_mismatch: ${where} is ${on} the credential's allowedDomains (${policy.allowedDomains.join(', ')}); the credential is refused here.`,
      { reason: 'domain_mismatch' },
    );
  }
  if (parsed!.protocol === 'http:' && !isLoopbackHost(host) && !policy.allowInsecure) {
    return new NavisError(
      'ACTION_FAILED',
      `insecure_page: ${where} is plain http on '${host}'. A credential is filled only over https, or over http on a loopback host (localhost, 127.0.0.0/8, [::1]), unless it has allowInsecure: true. Use the site's https address, or set allowInsecure on the credential (PATCH /browser/credentials/{id} with its password).`,
      { reason: 'insecure_page' },
    );
  }
  return undefined;
}

/** Throws when the tab's top page is no place for the credential. */
export function checkPage(page: Page, policy: FillPolicy): void {
  const refusal = placeRefusal(page.url(), policy);
  if (refusal) throw refusal;
}

/** The two refusals of this file, which no fallback (vault_then_prompt) should paper over. */
export function isPlaceRefusal(error: unknown): boolean {
  const reason = error instanceof NavisError ? error.details?.reason : undefined;
  return reason === 'domain_mismatch' || reason === 'insecure_page';
}

/**
 * Runs `act` on the element `target` points at, once every document from the top page down to the
 * element's own is a place for the credential. `act` gets a handle, not the locator: a handle is
 * not re-resolved in a document that replaced the checked one, so a navigation after the check
 * makes `act` fail instead of filling the new page, and that failure is answered with the refusal
 * of the page it moved to. An element that was merely re-rendered (still an allowed page) is looked
 * up and checked once more.
 */
export async function guardedOn<T>(
  page: Page,
  target: Locator,
  what: string,
  policy: FillPolicy,
  timeoutMs: number,
  act: (element: ElementHandle) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let element: ElementHandle | undefined;
    try {
      element = await target.elementHandle({ timeout: timeoutMs });
      await checkPlace(element, what, policy);
      return await act(element);
    } catch (error) {
      if (isPlaceRefusal(error)) throw error;
      checkPage(page, policy);
      const connected = await element?.evaluate((e) => e.isConnected).catch(() => false);
      if (attempt >= 2 || !element || connected) throw error;
    } finally {
      await element?.dispose().catch(() => {});
    }
  }
}

async function checkPlace(element: ElementHandle, what: string, policy: FillPolicy): Promise<void> {
  const look = `timed out after ${PLACE_CHECK_MS} ms checking which site the ${what} is on (the page did not respond).`;
  const frame = await withDeadline(element.ownerFrame(), PLACE_CHECK_MS, look);
  if (!frame) throw new NavisError('ACTION_FAILED', `the ${what} left the page before navis could use it.`);
  const chain: Frame[] = [];
  for (let f: Frame | null = frame; f; f = f.parentFrame()) chain.unshift(f);
  // The frames' URLs as the browser reported their navigations, top first ...
  for (const [i, f] of chain.entries()) {
    const refusal = placeRefusal(f.url(), policy, i === 0 ? 'the page' : `the ${what} is in a frame that`);
    if (refusal) throw refusal;
  }
  // ... and the element's own document as it is now. `location` is unforgeable: page scripts
  // cannot make it lie. A detached element throws, and the caller answers for the page.
  const own = await withDeadline(
    element.evaluate(() => location.href),
    PLACE_CHECK_MS,
    look,
  );
  const refusal = placeRefusal(own, policy, chain.length === 1 ? 'the page' : `the ${what} is in a frame that`);
  if (refusal) throw refusal;
}
