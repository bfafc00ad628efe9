#!/usr/bin/env node
// Build only what is stale: `npm run grade` (and the other scripts that need dist/) run this
// instead of `npm run build`, so a student who changed an exercise file — not src/ — waits for no
// compiler (the grader compiles the student's own files itself, each run).
//
//   node scripts/build-if-stale.js           npm run build, when any input is newer than dist/'s stamp
//   node scripts/build-if-stale.js --stamp   write the stamp (the last step of npm run build)
//
// Inputs: src/, asm/, the tsconfigs, package.json, package-lock.json and the build scripts. The
// stamp is dist/.build-stamp; a build that failed half way leaves no new stamp, so the next run builds.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const STAMP = path.join(ROOT, "dist", ".build-stamp");
const INPUTS = ["src", "asm", "tsconfig.build.json", "tsconfig.json", "package.json", "package-lock.json", "scripts/link-self.js", "scripts/build-entries.js", __filename];

/** The newest modification time under `file` (a file or a folder, walked). */
function newest(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a file removed changes its folder
  for (const entry of fs.readdirSync(file)) latest = Math.max(latest, newest(path.join(file, entry)));
  return latest;
}

function stale() {
  const stamp = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  if (!fs.existsSync(path.join(ROOT, "dist", "index.js"))) return true;
  return INPUTS.some((input) => newest(path.join(ROOT, input)) > stamp);
}

if (process.argv.includes("--stamp")) {
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
} else if (stale()) {
  const r = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
  process.exitCode = r.status ?? 1;
} else {
  // The exercise entries follow exercises/ (a file added or removed), which the stamp does not see.
  const r = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-entries.js")], { cwd: ROOT, stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
