// ESLint (flat config) with typescript-eslint: `npm run lint` runs it with Prettier's check and
// dependency-cruiser, and test/lint/eslint.test.ts runs it in the test suite. Correctness rules
// only: layout is Prettier's (.prettierrc.json; `npm run format` applies it).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'site/.astro/**',
      'site/.build-*/**',
      '.demo/**',
      // nunjucks templates of files `labbook init` writes: not JavaScript until rendered
      'templates/**',
      'test/docs/givens/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // `_name` marks what is unused on purpose: a rest sibling left out, an ignored callback argument.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The one way to print a caught value is errorMessage (src/errors/error-message.ts).
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='message'] > TSAsExpression[typeAnnotation.typeName.name='Error']",
          message: 'A thrown value need not be an Error: use errorMessage(error) from src/errors/error-message.ts.',
        },
      ],
    },
  },
  {
    files: ['site/src/scripts/**', 'site/view/**', 'site/public/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  // The short list of rules switched off, each for a reason:
  {
    // Coefficients quoted at the precision of their published source (the erf, gamma and t
    // approximations), and nanosecond timestamps the tests write past double precision on purpose.
    files: ['src/stats/**', 'src/interop/**/*.test.ts'],
    rules: { 'no-loss-of-precision': 'off' },
  },
  {
    // Its purpose is to find control characters: the patterns name them.
    files: ['schemas/hidden-characters.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Tests poke into parsed workflow YAML and webhook fixtures, whose shapes they assert.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
