// A throwaway copy of this checkout for tests of `npm start`, so they never use or change the
// checkout's own .venv/ or kernel registration: the files npm start reads (package.json,
// scripts/, notebooks/), with node_modules/ and dist/ linked to the real ones.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");

function projectCopy(prefix = "d2l-start-") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of ["package.json", "scripts", "notebooks"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  for (const entry of ["node_modules", "dist"]) fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A folder of links to the given programs (found on PATH), to use as a PATH without the rest. */
function pathWith(programs, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const program of programs) {
    const found = (process.env.PATH || "").split(path.delimiter).map((d) => path.join(d, program)).find((f) => fs.existsSync(f));
    if (found) fs.symlinkSync(fs.realpathSync(found), path.join(dir, program));
  }
  return dir;
}

module.exports = { ROOT, projectCopy, pathWith };
