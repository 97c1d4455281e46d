// navis's TypeScript SDK: `new Navis({ apiKey, baseUrl })`, NavisError, and the types of every
// body, read from navis's OpenAPI document (schema.ts, `npm run sdk:generate` in navis).
export { Navis, DEFAULT_BASE_URL, type NavisOptions } from './navis.js';
export { NavisError } from './errors.js';
export type { InSession } from './sites.js';
export type * from './types.js';
export type { paths } from './schema.js';
