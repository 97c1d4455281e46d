// How one robots.txt rule matches a path (RFC 9309 §2.2.2–2.2.3): `*` is any run of characters,
// a final `$` anchors the end, both sides compare in one percent-encoding. The rules come from the
// site being crawled, so no RegExp is built from them: `/*a*a*a…*b` would backtrack for minutes
// on a path of `a`s and freeze the process. Matching here is one forward pass, with a work budget.

/** `/a*b*c$` as ['/a', 'b', 'c'], anchored: the literal runs between the `*`s. */
export interface PathPattern {
  parts: string[];
  anchored: boolean;
}

/**
 * Positions one allows() call may scan over all its rules. A real robots.txt spends a few
 * thousand; past this the file is hostile and the URL is treated as disallowed.
 */
export const MATCH_BUDGET = 256 * 1024;

/** The pattern of a normalised Allow/Disallow value. */
export function compilePattern(value: string): PathPattern {
  const anchored = value.endsWith('$');
  return { parts: (anchored ? value.slice(0, -1) : value).split('*'), anchored };
}

/**
 * Whether `target` starts with (or, anchored, is) the pattern; undefined once `budget.left` runs
 * out. With `*` as the only wildcard the leftmost place of each literal run is always a safe
 * choice (the next `*` absorbs whatever lies between), so each run is looked for once, moving
 * forward: no backtracking, time linear in the target for each rule.
 */
export function matchPattern(
  { parts, anchored }: PathPattern,
  target: string,
  budget: { left: number },
): boolean | undefined {
  const first = parts[0];
  if (!target.startsWith(first)) return false;
  if (parts.length === 1) return !anchored || target.length === first.length;
  const last = parts[parts.length - 1];
  // Anchored, the last run must end the target and the middle runs fit in what lies before it.
  const end = anchored ? target.length - last.length : target.length;
  if (anchored && (end < first.length || !target.endsWith(last))) return false;
  let at = first.length;
  const middle = anchored ? parts.slice(1, -1) : parts.slice(1);
  for (const part of middle) {
    if (budget.left <= 0) return undefined;
    const found = target.indexOf(part, at);
    // What indexOf went over: up to the run it found, or the rest of the target.
    budget.left -= (found < 0 ? target.length : found + part.length) - at;
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/**
 * RFC 9309 §2.2.2: escapes of unreserved characters are decoded, other escapes upper-cased, and
 * characters outside printable ASCII encoded as UTF-8, so `/caf%C3%A9`, `/caf%c3%a9` and `/café`
 * are one path and `/%7Euser` is `/~user`. `*` and `$` are left as they are.
 */
export function normalisePath(text: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const hex = c === '%' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      const decoded = String.fromCharCode(parseInt(hex, 16));
      out.push(/[A-Za-z0-9\-._~]/.test(decoded) ? decoded : `%${hex.toUpperCase()}`);
      i += 2;
    } else if (c > ' ' && c <= '~') {
      out.push(c);
    } else {
      const code = text.codePointAt(i)!;
      if (code > 0xffff) i++;
      out.push(percentEncode(String.fromCodePoint(code)));
    }
  }
  return out.join('');
}

/** A lone surrogate (not valid UTF-16) becomes U+FFFD's bytes rather than a URIError. */
function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
