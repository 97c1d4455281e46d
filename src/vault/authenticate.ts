// The authenticate step (seed 003): log in with a vault credential (`vault`), hand the session to
// a person on the live view (`prompt_user`), or try the first and fall back to the second.
// Secrets are only ever passed to the page's fields: no result, error or log line carries them,
// and every fill and submit goes through fill-guard.ts, which checks the site right before it.
import type { Frame, Locator, Page } from 'playwright-core';
import { RunDeadlineError, type ActionResult, type Authenticator, type StepContext } from '../actions/context.js';
import type { ActionOf } from '../actions/schemas.js';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import type { RunningSession } from '../sessions/running.js';
import { dismissConsentBanners } from './consent.js';
import { checkPage, guardedOn, isPlaceRefusal, placeRefusal, type FillPolicy } from './fill-guard.js';
import type { RevealedCredential, Vault } from './service.js';
import { totpCode } from './totp.js';
import { checkSuccess, successHolds, type SuccessCondition } from './success.js';

type AuthAction = ActionOf<'authenticate'>;

const DEFAULT_PAUSE_TIMEOUT_MS = 300_000;
/** How long a two-step form gets to show its next field after a submit. */
const NEXT_FIELD_TIMEOUT_MS = 10_000;

const FIELD_GUESSES = {
  username: [
    'input[autocomplete="username"]',
    'input[type="email"]',
    'input[name*="user" i]:not([type="hidden"])',
    'input[name*="email" i]:not([type="hidden"])',
    'input[name*="login" i]:not([type="hidden"])',
    'input[id*="user" i]:not([type="hidden"])',
    'input[id*="email" i]:not([type="hidden"])',
  ],
  password: ['input[type="password"]'],
  totp: [
    'input[autocomplete="one-time-code"]',
    'input[name*="otp" i]',
    'input[name*="totp" i]',
    'input[name*="code" i]:not([type="hidden"])',
    'input[id*="otp" i]',
    'input[id*="code" i]:not([type="hidden"])',
  ],
  submit: ['button[type="submit"]', 'input[type="submit"]', 'form button:not([type="button"])'],
};

export class VaultAuthenticator implements Authenticator<RunningSession> {
  constructor(private readonly vault: Vault) {}

  async authenticate(
    session: RunningSession,
    tenantId: string,
    action: AuthAction,
    step: StepContext,
  ): Promise<ActionResult> {
    if (action.mode === 'prompt_user') return this.promptUser(session, action, step);
    const credential = this.vault.reveal(tenantId, action.credentialId!);
    try {
      return await withinVaultDeadline(this.withVault(credential, action, step), action, step);
    } catch (error) {
      // vault_then_prompt: a failed or refused vault login goes to the person instead.
      if (action.mode !== 'vault_then_prompt' || isPlaceRefusal(error)) {
        throw scrub(error, credential);
      }
      return this.promptUser(session, action, step, scrub(error, credential).message);
    }
  }

  private async withVault(
    credential: RevealedCredential,
    action: AuthAction,
    step: StepContext,
  ): Promise<ActionResult> {
    const page = step.page;
    // The step's deadline stretches to success.timeoutMs when that is longer: a submit waits for the
    // page it sends the form to, and a slow site's answer is what success.timeoutMs allows for.
    const runDeadline = step.runDeadline ?? Infinity;
    const deadline = Math.min(Date.now() + Math.max(step.timeoutMs, action.success?.timeoutMs ?? 0), runDeadline);
    // Past the deadline nothing more is filled or submitted (withinVaultDeadline answered already).
    const left = () => {
      const ms = deadline - Date.now();
      if (ms <= 0) throw new NavisError('ACTION_TIMEOUT', `vault: the login did not get through within its deadline`);
      return ms;
    };
    checkPage(page, credential);
    const consent = await dismissConsentBanners(page);
    step.note(consent ? `dismissed consent banner (${consent}); filling the login form` : 'filling the login form');
    // A consent click may have navigated (the click waits for that navigation to commit).
    if (consent) checkPage(page, credential);

    const selectors = action.selectors ?? {};
    const fill = (found: Found, what: string, value: string) =>
      guardedOn(page, found.field, what, credential, left(), (element) => element.fill(value, { timeout: left() }));
    const usernameField = await findField(page, selectors.username, FIELD_GUESSES.username);
    let passwordField = await findField(page, selectors.password, FIELD_GUESSES.password);
    if (!usernameField && !passwordField) {
      throw new NavisError(
        'SELECTOR_NOT_FOUND',
        `no login form found on ${page.url()}: no username or password field${selectors.username ? ` ('${selectors.username}')` : ''}. Pass selectors.username and selectors.password.`,
      );
    }
    if (usernameField) await fill(usernameField, 'username field', credential.username);
    if (usernameField && !passwordField) {
      // Two-step form: the password field shows up after the username is submitted.
      await submit(page, selectors.submit, usernameField, credential, left());
      passwordField = await findField(page, selectors.password, FIELD_GUESSES.password, {
        timeoutMs: Math.min(NEXT_FIELD_TIMEOUT_MS, left()),
      });
      if (!passwordField) {
        checkPage(page, credential);
        throw new NavisError(
          'SELECTOR_NOT_FOUND',
          `after submitting the username no password field appeared on ${page.url()}. Pass selectors.password.`,
        );
      }
    }
    await fill(passwordField!, 'password field', credential.password);
    const sameStepTotp = credential.totp
      ? await findField(page, selectors.totp, FIELD_GUESSES.totp, { optional: true, placesFor: credential })
      : undefined;
    if (sameStepTotp) await fill(sameStepTotp, 'one-time code field', totpCode(credential.totp!, Date.now()));
    await submit(page, selectors.submit, passwordField!, credential, left());

    if (credential.totp && !sameStepTotp) {
      const totpField = await findCodeStep(
        page,
        selectors.totp,
        action.success,
        credential,
        Math.min(NEXT_FIELD_TIMEOUT_MS, left()),
      );
      if (totpField) {
        await fill(totpField, 'one-time code field', totpCode(credential.totp, Date.now()));
        await submit(page, selectors.submit, totpField, credential, left());
      }
    }
    // success.timeoutMs is the wait for the login to land, counted from the submit and given in
    // full; the run's deadline (NAVIS_MAX_TASK_MS) still bounds it.
    const successMs = action.success?.timeoutMs ?? left();
    return this.awaitSuccess(page, action.success, Math.max(1, Math.min(successMs, runDeadline - Date.now())), 'vault');
  }

  /**
   * Hands the session to a person on the live view until the success condition holds or, without
   * one (seed 003 makes it optional), until the person clicks Done there. The person gets
   * pauseTimeoutMs; without it, the step's own timeoutMs when the step gives one, else 300 s (an
   * action's default 10 s is no time for a person). Like success.timeoutMs for a vault login, the
   * pause stretches the step's deadline; the run's deadline (NAVIS_MAX_TASK_MS) still bounds it.
   */
  private async promptUser(
    session: RunningSession,
    action: AuthAction,
    step: StepContext,
    why?: string,
  ): Promise<ActionResult> {
    const asked = action.pauseTimeoutMs ?? action.timeoutMs ?? DEFAULT_PAUSE_TIMEOUT_MS;
    const runLeft = (step.runDeadline ?? Infinity) - Date.now();
    const timeoutMs = Math.max(1, Math.min(asked, runLeft));
    const cut = timeoutMs < asked;
    const success = action.success;
    const reason =
      why ?? `authenticate: waiting for a person to log in on the live view${success ? '' : ' and click Done'}`;
    step.note(
      `${why ? 'vault login did not succeed; ' : ''}waiting up to ${timeoutMs} ms for a person to log in on the live view${success ? '' : ' and click Done'}`,
    );
    const waited = session.pauseForUser({ reason, timeoutMs, endsWithDone: !success }, async (doneClicked) => {
      if (success) return this.awaitSuccess(step.page, success, timeoutMs, 'prompt_user');
      await untilDone(step.page, doneClicked, timeoutMs);
      return { success: true, reason: 'prompt_user: the person clicked Done on the live view' };
    });
    return waited.catch((error: unknown) => {
      if (!cut || !(error instanceof NavisError) || error.code !== 'ACTION_TIMEOUT') throw error;
      throw new RunDeadlineError(
        `prompt_user: the run reached its deadline (NAVIS_MAX_TASK_MS) after ${timeoutMs} ms of the ${asked} ms asked for, before the login completed. Run the authenticate step in a task of its own, or ask the operator to raise NAVIS_MAX_TASK_MS.`,
      );
    });
  }

  private async awaitSuccess(
    page: Page,
    success: SuccessCondition | undefined,
    timeoutMs: number,
    how: string,
  ): Promise<ActionResult> {
    if (!success) return { success: true, reason: `${how}: form submitted (no success condition given)` };
    const met = await checkSuccess(page, success, timeoutMs);
    if (!met.ok)
      throw new NavisError(
        'ACTION_TIMEOUT',
        `${how}: the success condition was not met within ${timeoutMs} ms (${met.description}). The login may have failed; check the live view.`,
      );
    return { success: true, reason: `${how}: ${met.description}` };
  }
}

/** How long past its own bound a vault login may take to report its own timeout before the step does. */
const VAULT_GRACE_MS = 1000;

/**
 * A vault login that must end: the step's deadline, stretched to success.timeoutMs and then the
 * full success.timeoutMs after the submit (withVault), within the run's. A page that does not
 * answer one of its calls (a field's visibility has no timeout of its own) fails the step with
 * 408; the executor then frees the page (actions/page-recovery.ts).
 */
function withinVaultDeadline(
  work: Promise<ActionResult>,
  action: AuthAction,
  step: StepContext,
): Promise<ActionResult> {
  const successMs = action.success?.timeoutMs ?? 0;
  const end = Math.min(Date.now() + Math.max(step.timeoutMs, successMs) + successMs, step.runDeadline ?? Infinity);
  const ms = Math.max(1, end - Date.now()) + VAULT_GRACE_MS;
  return withDeadline(work, ms, `vault: timed out after ${ms} ms (the page did not answer)`);
}

/** Waits for the live view's Done, at most `timeoutMs`; the page closing (the session ending) ends the wait. */
async function untilDone(page: Page, doneClicked: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onClose: (() => void) | undefined;
  const outcome = await Promise.race([
    doneClicked.then(() => 'done' as const),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
    new Promise<'closed'>((resolve) => page.once('close', (onClose = () => resolve('closed')))),
  ]).finally(() => {
    clearTimeout(timer);
    if (onClose) page.off('close', onClose);
  });
  if (outcome === 'closed')
    throw new NavisError(
      'BROWSER_GONE',
      'the page closed while authenticate waited for a person to click Done on the live view.',
    );
  if (outcome === 'timeout') {
    throw new NavisError(
      'ACTION_TIMEOUT',
      `prompt_user: nobody clicked Done on the live view within ${timeoutMs} ms. Open the session's live view URL, log in, then click Done; or raise pauseTimeoutMs.`,
    );
  }
}

/** A field or button that was found, and the frame it is in. */
interface Found {
  field: Locator;
  frame: Frame;
}

interface FindOptions {
  /** How long to wait for the field to show (default 0: look once). */
  timeoutMs?: number;
  /** No error when a given selector matches nothing: the field may rightly be absent. */
  optional?: boolean;
  /** Look in this frame only. */
  only?: Frame;
  /**
   * For fields that may rightly be absent (a one-time code): guesses skip frames that are no place
   * for this credential, so a stray "code" input in a third-party iframe does not stop the login.
   */
  placesFor?: FillPolicy;
}

/**
 * The given selector, else the first visible guess. Looks in the top page first, then in its frames
 * (a login form may sit in an iframe; guardedOn decides whether that frame's site may have the
 * secret).
 */
async function findField(
  page: Page,
  given: string | undefined,
  guesses: string[],
  options: FindOptions = {},
): Promise<Found | undefined> {
  const { timeoutMs = 0, optional = false, only, placesFor } = options;
  const candidates = given ? [given] : guesses;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = (only ? [only] : [page.mainFrame(), ...page.frames().filter((f) => f !== page.mainFrame())]).filter(
      (f) => !f.isDetached() && !(placesFor && !given && placeRefusal(f.url(), placesFor)),
    );
    for (const frame of frames) {
      for (const selector of candidates) {
        const field = frame.locator(selector).first();
        if (await field.isVisible().catch(() => false)) return { field, frame };
      }
    }
    if (Date.now() >= deadline) {
      if (given && !optional && timeoutMs > 0)
        throw new NavisError('SELECTOR_NOT_FOUND', `selector '${given}' matched nothing visible on ${page.url()}.`);
      return undefined;
    }
    await page.waitForTimeout(100);
  }
}

/**
 * The one-time-code field of a step after the password, or none once the success condition holds
 * already: a site may let a known device in without asking for the code.
 */
async function findCodeStep(
  page: Page,
  given: string | undefined,
  success: SuccessCondition | undefined,
  policy: FillPolicy,
  timeoutMs: number,
): Promise<Found | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const field = await findField(page, given, FIELD_GUESSES.totp, { optional: true, placesFor: policy });
    if (field || (success && (await successHolds(page, success))) || Date.now() >= deadline) return field;
    await page.waitForTimeout(100);
  }
}

/** Clicks the form's submit button (a guess looks in the field's own frame), else presses Enter in the field. */
async function submit(
  page: Page,
  given: string | undefined,
  filled: Found,
  policy: FillPolicy,
  timeoutMs: number,
): Promise<void> {
  const button =
    (await findField(page, given, FIELD_GUESSES.submit, { only: filled.frame })) ??
    (given ? await findField(page, given, []) : undefined);
  if (button)
    await guardedOn(page, button.field, 'submit button', policy, timeoutMs, (element) =>
      element.click({ timeout: timeoutMs }),
    );
  else
    await guardedOn(page, filled.field, 'field', policy, timeoutMs, (element) =>
      element.press('Enter', { timeout: timeoutMs }),
    );
  await page.waitForLoadState('domcontentloaded', { timeout: timeoutMs }).catch(() => {});
}

/** An error whose message could contain a secret (a browser error quoting a value) loses it. */
function scrub(error: unknown, credential: RevealedCredential): NavisError {
  const secrets = [credential.password, credential.username, credential.totp?.secret].filter(
    (s): s is string => !!s && s.length >= 3,
  );
  const clean = (text: string) => secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
  if (error instanceof NavisError) return new NavisError(error.code, clean(error.message), error.details);
  const err = error as Error;
  if (err?.name === 'TimeoutError') return new NavisError('ACTION_TIMEOUT', clean(err.message.split('\n')[0]));
  if (err?.name === 'TargetClosedError')
    return new NavisError('BROWSER_GONE', 'the page or browser closed during authenticate.');
  return new NavisError(
    'ACTION_FAILED',
    `authenticate failed: ${clean((err?.message ?? String(error)).split('\n')[0])}`,
  );
}
