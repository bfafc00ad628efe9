#!/usr/bin/env node
// `npm run fixtures`: regenerate every PyTorch fixture in test/fixtures/ with real PyTorch
// (the version pinned in scripts/requirements-fixtures.txt, from pip, in a venv this script makes
// once and reuses; see scripts/jupyter/venv.js).
//
//   node scripts/fixtures.js                  run the three generators
//   node scripts/fixtures.js --check          also fail when a generated file differs from git's
//   node scripts/fixtures.js --print-python   print the venv's python (to run one generator by hand)
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { ROOT, SetupError, cachedVenv } = require("./jupyter/venv");

const GENERATORS = ["scripts/make_repr_fixtures.py", "scripts/make_fixtures.py", "scripts/make_notebook_fixtures.py"];

function main() {
  const args = process.argv.slice(2);
  const venv = cachedVenv("fixtures", { log: (line) => console.error(line) });
  if (args.includes("--print-python")) {
    console.log(venv.python);
    return 0;
  }
  for (const script of GENERATORS) {
    console.log(`== ${script}`);
    const r = spawnSync(venv.python, [path.join(ROOT, script)], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`${script} failed (exit ${r.status ?? r.signal})`);
      return 1;
    }
  }
  if (args.includes("--check")) {
    const diff = spawnSync("git", ["diff", "--exit-code", "--stat", "--", "test/fixtures"], { cwd: ROOT, stdio: "inherit" });
    if (diff.status !== 0) {
      console.error("The committed fixtures differ from what the generators make now (diff above): regenerate, review and commit them.");
      return 1;
    }
    console.log("every fixture reproduced byte for byte");
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof SetupError ? error.message : error.stack || String(error));
  process.exitCode = 1;
}
