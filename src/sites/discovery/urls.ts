// Which URLs discovery may follow (same origin, http(s), no fragments, no files, nothing that
// logs out or deletes) and the default slug of a site.
const BINARY =
  /\.(pdf|zip|gz|tgz|tar|rar|7z|exe|dmg|msi|pkg|deb|rpm|apk|iso|bin|png|jpe?g|gif|webp|avif|svg|ico|bmp|tiff?|mp3|mp4|m4a|wav|ogg|webm|mov|avi|mkv|woff2?|ttf|otf|eot|css|js|mjs|map|json|xml|rss|atom|csv|xlsx?|docx?|pptx?|odt|ods|txt)$/i;
/** Following these would end the session or change data: a GET link can do either on real sites. */
const HARMFUL = /(^|[/_.-])(log-?out|sign-?out|delete|remove|destroy|unsubscribe)([/_.?=-]|$)/i;

/** The URL without its fragment; null when it is not an http(s) URL. */
export function normalizeUrl(href: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  return url.href;
}

export type SkipReason = 'not-http' | 'other-origin' | 'file' | 'harmful';

/** Why a link is not followed, or undefined when it may be. */
export function skipReason(href: string, origin: string): SkipReason | undefined {
  const url = normalizeUrl(href);
  if (!url) return 'not-http';
  const parsed = new URL(url);
  if (parsed.origin !== origin) return 'other-origin';
  if (BINARY.test(parsed.pathname)) return 'file';
  if (HARMFUL.test(`${parsed.pathname}${parsed.search}`)) return 'harmful';
  return undefined;
}

/** `127.0.0.1:8123` → `127-0-0-1-8123`, `www.example.com` → `example-com`. */
export function slugFromHost(baseUrl: string): string {
  const host = new URL(baseUrl).host.toLowerCase().replace(/^www\./, '');
  const slug = host
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return slug || 'site';
}
