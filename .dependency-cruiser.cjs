// The import direction of STYLE.md, checked by machine (`npm run lint`), type-only imports included:
//   api/ (routes) → core folders (sessions, tenants, actions, tasks, vault, agent, sites) → browsers/, network/, store/
// main.ts, cli.ts and app.ts (the composition root) sit above everything; config.ts and errors.ts below.
const CORE = '^src/(sessions|tenants|actions|tasks|vault|agent|sites)/';
const LOWER = '^src/(browsers|network|store)/';
const ROOT = '^src/(app|main|cli)[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'api-not-to-engines',
      comment: 'Route files never touch Playwright or SQLite: they call a core service (STYLE.md, flow of a request).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: ['node_modules/(@types/)?(playwright-core|better-sqlite3)/', '^src/(browsers|store)/'] },
    },
    {
      name: 'api-not-to-composition-root',
      comment:
        'A route gets the services it uses from its registration options, never from app.ts (that would be a cycle).',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: ROOT },
    },
    {
      name: 'core-not-to-api',
      comment: 'A service never knows which dialect called it: only app.ts registers routes.',
      severity: 'error',
      from: { path: CORE },
      to: { path: ['^src/api/', ROOT] },
    },
    {
      name: 'lower-not-to-core',
      comment:
        'browsers/, network/ and store/ are the bottom layer: they never reach up into the services, the routes or the root.',
      severity: 'error',
      from: { path: LOWER },
      to: { path: [CORE, '^src/api/', ROOT] },
    },
    {
      name: 'store-stays-sql',
      comment: 'store/ is SQLite and nothing else: no browsers, no network.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(browsers|network)/' },
    },
    {
      name: 'network-not-to-browsers-or-store',
      comment:
        'network/ (egress guard, policy, URL rules) is used by the browsers and the services, never the other way round.',
      severity: 'error',
      from: { path: '^src/network/' },
      to: { path: '^src/(browsers|store)/' },
    },
    {
      name: 'config-and-errors-are-leaves',
      comment: 'config.ts and errors.ts are imported by every layer, so they import none.',
      severity: 'error',
      from: { path: '^src/(config|errors)[.]ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'src-not-to-tests',
      comment: 'The server never imports tests, their helpers or the benches.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'sdk-stands-alone',
      comment:
        'The TypeScript SDK ships on its own and talks to navis over HTTP: it imports nothing of the server, the tests or the scripts.',
      severity: 'error',
      from: { path: '^sdk/typescript/' },
      to: { path: '^(src|test|bench|scripts)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one idea or one of them is in the wrong layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-dev-dep',
      comment:
        'What the server runs must be in "dependencies" (npm ci --omit=dev would drop it); type-only imports may use @types.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-undeclared-package',
      comment: 'A package that is not in package.json only works by accident of hoisting.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        "An import that resolves to nothing is a typo or a missing file. The dashboard's runtime is served, not a file: api/dashboard.ts answers /ui/vendor/preact-htm.js from htm's package.",
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^[.][.]?/vendor/preact-htm[.]js$' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.check.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: ['^test/dari/vendor/', '^bench/miniwob/html/', '^dist/', '^sdk/python/', '^sdk/typescript/dist/'],
    },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
