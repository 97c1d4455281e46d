// Chromium keeps persistent cookies in its user-data dir but drops session cookies (no expiry) on
// exit, and many logins live in those. A profile therefore also keeps every cookie in a JSON file,
// written before the browser closes and restored when the next session on the profile starts.
import fs from 'node:fs';
import path from 'node:path';
import { CdpConnection } from '../browsers/cdp.js';

const FILE = 'navis-cookies.json';

export async function saveCookies(wsEndpoint: string, profileDir: string): Promise<number> {
  const cdp = await CdpConnection.connect(wsEndpoint, 3000);
  try {
    const { cookies } = await cdp.send<{ cookies: unknown[] }>('Storage.getCookies', {}, undefined, 5000);
    const target = path.join(profileDir, FILE);
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(cookies), { mode: 0o600 });
    fs.renameSync(temp, target);
    return cookies.length;
  } finally {
    cdp.close();
  }
}

export async function restoreCookies(wsEndpoint: string, profileDir: string): Promise<number> {
  let cookies: Array<Record<string, unknown>>;
  try {
    cookies = JSON.parse(fs.readFileSync(path.join(profileDir, FILE), 'utf8')) as Array<Record<string, unknown>>;
  } catch {
    return 0;
  }
  if (!Array.isArray(cookies) || cookies.length === 0) return 0;
  const now = Date.now() / 1000;
  const usable = cookies
    .filter((c) => typeof c.expires !== 'number' || c.expires <= 0 || c.expires > now)
    .map(({ size, session, ...cookie }) => (session ? { ...cookie, expires: undefined } : cookie));
  const cdp = await CdpConnection.connect(wsEndpoint, 3000);
  try {
    await cdp.send('Storage.setCookies', { cookies: usable }, undefined, 5000);
    return usable.length;
  } finally {
    cdp.close();
  }
}
