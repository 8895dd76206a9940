// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The lint rules for one workspace package. Type-aware, because the bugs that matter most in
 * this codebase are async ones (a forgotten `await` on a rollout write, a promise passed where a
 * callback is expected) and only type information finds them.
 *
 * @param {string} packageDir the package folder (`import.meta.dirname` of its eslint.config.js)
 */
export function packageConfig(packageDir) {
  return tseslint.config(
    { ignores: ['dist/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
    js.configs.recommended,
    ...tseslint.configs.strictTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir: packageDir },
      },
      rules: {
        '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-misused-promises': 'error',
        '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/no-extraneous-class': 'off',
        'no-console': 'error',
      },
    },
    {
      files: ['test/**', 'bench/**', '**/*.test.ts'],
      rules: {
        '@typescript-eslint/no-non-null-assertion': 'off',
        'no-console': 'off',
      },
    },
  );
}
