// ESLint (flat config) for the studio's browser scripts, leaflet_gen/studio/static/*.js: ESLint's
// recommended rules and the browser's globals. Run: npx eslint leaflet_gen/studio/static (make lint;
// tests/studio/test_studio_lint.py). The packages come from package-lock.json (npm ci, scripts/setup.sh).
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    ...js.configs.recommended,
    files: ["leaflet_gen/studio/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script", // classic <script src> files, each one function of its own
      globals: { ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    ...js.configs.recommended,
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
