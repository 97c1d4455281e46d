// What a browser call's error says, for people: Playwright's message without its call log, the
// page's stack lines, terminal colours or the API method it came from ("locator.click: ").
// The call log is Playwright's trace of what it tried: left out, since the step log's detail says
// what the step was doing in navis's words and locate.ts says what the element lacked. A page that
// crashed is said once, here (pageCrashed).
import { NavisError } from '../errors.js';

/** The first sentence or two of a Playwright error, at most three lines joined with ' | '. */
export function browserMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines: string[] = [];
  for (const raw of text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
    const line = raw.trim();
    if (/^(=+ )?(Call log|logs)\b.*:/i.test(line) || /^at\s/.test(line)) break;
    if (line) lines.push(line);
  }
  return lines
    .slice(0, 3)
    .join(' | ')
    .replace(/^(?:page|frame|locator|elementHandle|keyboard|mouse|browserContext|cdpSession)\.\w+: /, '')
    .replace(/^Error: /, '');
}

/**
 * A page whose renderer crashed (chrome://crash, out of memory, a Chromium bug): 422 ACTION_FAILED,
 * saying so. A session's page is replaced by a new blank one (sessions/work.ts), so the session goes
 * on. `ranBefore`: the page had crashed before this request, so nothing of it ran.
 */
export function pageCrashed(ranBefore: boolean): NavisError {
  const what = ranBefore
    ? "the session's page had crashed before this request (its renderer process died), so nothing of it ran"
    : 'the page crashed while this ran (its renderer process died: a page that crashes Chromium, or ran out of memory)';
  return new NavisError(
    'ACTION_FAILED',
    `${what}. A session's crashed page is replaced by a new blank one (its cookies, storage and other tabs are kept): send the work again, starting with its url.`,
  );
}
