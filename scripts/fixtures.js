#!/usr/bin/env node
// `npm run fixtures`: regenerate every PyTorch fixture in test/fixtures/ with real PyTorch
// (the version pinned in scripts/requirements-fixtures.txt, from pip, in a venv this script makes
// once and reuses; see scripts/jupyter/venv.js).
//
//   node scripts/fixtures.js                  run the three generators
//   node scripts/fixtures.js --check          then compare each file with what was there before:
//                                             exact where PyTorch is exact on every CPU, within a few
//                                             units in the last place where it is not
//                                             (scripts/ci/fixture-compare.js); a file that differs only
//                                             within that is put back as it was, anything more fails
//   node scripts/fixtures.js --print-python   print the venv's python (to run one generator by hand)
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { ROOT, SetupError, cachedVenv } = require("./jupyter/venv");
const { checkFixtures, readFixtures } = require("./ci/fixture-compare");

const GENERATORS = ["scripts/make_repr_fixtures.py", "scripts/make_fixtures.py", "scripts/make_notebook_fixtures.py"];
const FIXTURES = path.join(ROOT, "test", "fixtures");

function main() {
  const args = process.argv.slice(2);
  const venv = cachedVenv("fixtures", { log: (line) => console.error(line) });
  if (args.includes("--print-python")) {
    console.log(venv.python);
    return 0;
  }
  const before = readFixtures(FIXTURES);
  for (const script of GENERATORS) {
    console.log(`== ${script}`);
    const r = spawnSync(venv.python, [path.join(ROOT, script)], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) {
      console.error(`${script} failed (exit ${r.status ?? r.signal})`);
      return 1;
    }
  }
  if (!args.includes("--check")) return 0;
  const ok = checkFixtures(FIXTURES, before, { log: console.log, error: console.error });
  return ok ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof SetupError ? error.message : error.stack || String(error));
  process.exitCode = 1;
}
