// Which URLs navis opens in a browser at all, before any network question: http:, https: and
// about:blank. file: only for the default tenant and only when the operator allows it
// (NAVIS_ALLOW_FILE_URLS); data: only for content navis sets itself, never from a request.
// view-source:, chrome:, devtools:, javascript:, blob:, filesystem: and the rest are refused.
import { NavisError } from '../errors.js';

export interface SchemeRules {
  /** file: URLs (the default tenant with NAVIS_ALLOW_FILE_URLS=true). */
  allowFileUrls: boolean;
}

/** The scheme of `url` as the URL parser sees it ('http:'), or undefined when it is no absolute URL. */
export function schemeOf(url: string): string | undefined {
  try {
    return new URL(url).protocol;
  } catch {
    return undefined;
  }
}

/** Whether a browser may be sent to `url` by scheme alone; the reason when not. */
export function schemeRefusal(url: string, rules: SchemeRules): string | undefined {
  const scheme = schemeOf(url);
  if (scheme === undefined) return `'${url.slice(0, 200)}' is not an absolute URL (include the scheme, e.g. https://)`;
  if (scheme === 'http:' || scheme === 'https:') return undefined;
  if (scheme === 'about:') {
    const rest = new URL(url).pathname;
    return rest === 'blank'
      ? undefined
      : `'${url.slice(0, 100)}' is refused: of about: URLs only about:blank may be opened`;
  }
  if (scheme === 'file:') {
    return rules.allowFileUrls
      ? undefined
      : `file: URLs are refused: pages of this server's disk are not open to tenants (an operator can allow them for the default tenant with NAVIS_ALLOW_FILE_URLS=true)`;
  }
  return `${scheme} URLs are refused: navis opens only http:, https: and about:blank (and file: for the default tenant when NAVIS_ALLOW_FILE_URLS=true)`;
}

/** schemeRefusal as the typed 400 every navigation path answers (INVALID_REQUEST when it is no URL at all). */
export function checkScheme(url: string, rules: SchemeRules): void {
  const refusal = schemeRefusal(url, rules);
  if (refusal)
    throw new NavisError(schemeOf(url) === undefined ? 'INVALID_REQUEST' : 'URL_NOT_ALLOWED', refusal, {
      url: url.slice(0, 200),
    });
}
