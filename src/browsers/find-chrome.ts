// Finds a Chrome/Chromium executable: CHROME_PATH first, then the usual install locations.
import fs from 'node:fs';

export const COMMON_CHROME_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The executable to launch, or an Error that says how to fix it. */
export function findChrome(configured?: string): string {
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(
      `CHROME_PATH is set to ${configured}, which is not an executable file. Point it at Chrome or Chromium, or unset it to search the usual locations.`,
    );
  }
  const found = COMMON_CHROME_PATHS.find(isExecutable);
  if (found) return found;
  throw new Error(
    `No Chrome or Chromium found (looked in ${COMMON_CHROME_PATHS.join(', ')}). Install one (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH.`,
  );
}
