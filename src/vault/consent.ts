// Dismisses the consent banners of the common consent managers before a login form is filled
// (seed 003: authenticate "handles common anti-bot consent banners").
import type { Frame, Page } from 'playwright-core';

/** Accept buttons of the usual consent managers, by their stable ids and classes. */
const KNOWN_ACCEPT_BUTTONS = [
  '#onetrust-accept-btn-handler', // OneTrust
  '#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll', // Cookiebot
  '#CybotCookiebotDialogBodyButtonAccept',
  '#didomi-notice-agree-button', // Didomi
  '.qc-cmp2-summary-buttons button[mode="primary"]', // Quantcast
  '#truste-consent-button', // TrustArc
  '[data-testid="uc-accept-all-button"]', // Usercentrics
  '.osano-cm-accept-all', // Osano
  '.cmplz-accept', // Complianz
  '.cky-btn-accept', // CookieYes
  '.cm-btn-accept-all', // Klaro
  '.fc-cta-consent', // Google Funding Choices
  'button.sp_choice_type_11', // Sourcepoint (inside its iframe)
];

/** What the accept button says when no known id is there. */
const ACCEPT_TEXT =
  /^\s*(accept all( cookies)?|allow all( cookies)?|accept( cookies)?|i agree|agree( and continue)?|agree to all|got it|yes, i agree|alle akzeptieren|tout accepter|aceptar todo|accetta tutto)\s*$/i;

/** Clicks the first visible accept button, in the page or one of its frames. Returns what it clicked, if anything. */
export async function dismissConsentBanners(page: Page, timeoutMs = 1500): Promise<string | undefined> {
  for (const frame of [page.mainFrame(), ...page.frames().filter((f) => f !== page.mainFrame())]) {
    const clicked = await dismissIn(frame, timeoutMs).catch(() => undefined);
    if (clicked) return clicked;
  }
  return undefined;
}

async function dismissIn(frame: Frame, timeoutMs: number): Promise<string | undefined> {
  for (const selector of KNOWN_ACCEPT_BUTTONS) {
    const button = frame.locator(selector).first();
    if (await button.isVisible().catch(() => false)) {
      await button.click({ timeout: timeoutMs });
      return selector;
    }
  }
  const byText = frame.getByRole('button', { name: ACCEPT_TEXT }).first();
  if (await byText.isVisible().catch(() => false)) {
    const label = ((await byText.textContent().catch(() => '')) ?? '').trim();
    await byText.click({ timeout: timeoutMs });
    return `button "${label}"`;
  }
  return undefined;
}
