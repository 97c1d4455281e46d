// What a browser call's error says, for people: Playwright's message without its call log, the
// page's stack lines, terminal colours or the API method it came from ("locator.click: ").
// The call log is Playwright's trace of what it tried: left out, since the step log's detail says
// what the step was doing in navis's words and locate.ts says what the element lacked.

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
