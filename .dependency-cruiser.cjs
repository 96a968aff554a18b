/**
 * The layers, checked by `npm run lint:deps` (and by test/lint/dependencies.test.ts, so CI runs it):
 *   schemas ← src (the library) ← cli, action, site
 * The library never reaches up into the command line, the action, the site, Astro or the
 * Actions toolkit, and no module or folder depends on itself through others.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing: a moved or misspelt module.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A module that reaches itself through its imports: one of them belongs lower down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders that import each other are one knot: move the shared piece to a lower, neutral folder.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'schemas-are-the-floor',
      severity: 'error',
      comment: 'schemas/ is what everything else validates against; it imports nothing of ours above it.',
      from: { path: '^schemas/' },
      to: { path: '^(src|action|site|bin|scripts|bench|test|examples)/' },
    },
    {
      name: 'library-stays-below-its-callers',
      severity: 'error',
      comment: 'src/ (but its command line) is the library: it never imports the CLI, the action or the site.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^(src/cli|action|site|bin|scripts)/' },
    },
    {
      name: 'library-has-no-host-frameworks',
      severity: 'error',
      comment: 'The library runs in a CLI, an action and a browser: Astro and the Actions toolkit belong to their callers.',
      from: { path: '^src/' },
      to: { path: '(^|/)node_modules/(astro|@astrojs|@actions)/' },
    },
    {
      name: 'browser-code-has-no-node',
      severity: 'error',
      comment:
        "The site's view models and browser scripts run in the browser: no Node built-in (tsconfig.browser.json checks what they reach).",
      from: { path: '^site/(view|src/scripts)/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'cli-is-not-imported',
      severity: 'error',
      comment: 'The command line is an edge: the action and the site use the library, not the CLI.',
      from: { path: '^(action|site)/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // .build-*: a site build's staging folder (ignored by git), which a killed build may leave.
    exclude: { path: ['(^|/)(node_modules|dist|\\.astro|\\.build-[^/]*)/', '\\.test\\.ts$', '/__fixtures__/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
