import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import regexp from "eslint-plugin-regexp";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "**/fixtures/**", "examples/**", "src/generated/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Layout is Prettier's (npm run format); eslint checks meaning only.
  prettier,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Expressions that read the same characters again and again: a value a pull request writes (a
  // manifest field, a lockfile line, a comment) could hold the gate for minutes (src/util/strip.ts).
  {
    files: ["src/**/*.ts"],
    plugins: { regexp },
    rules: {
      "regexp/no-super-linear-backtracking": ["error", { report: "potential" }],
      "regexp/no-super-linear-move": ["error", { report: "potential", ignoreSticky: false, ignorePartial: false }],
    },
  },
);
