// Copies the non-TypeScript files the server reads at run time (SQL migrations, web pages) into dist/.
import fs from 'node:fs';
for (const dir of ['store/migrations', 'web']) {
  if (fs.existsSync(`src/${dir}`)) fs.cpSync(`src/${dir}`, `dist/${dir}`, { recursive: true });
}
