// A throwaway copy of this checkout for tests of `npm start`, so they never use or change the
// checkout's own .venv/ or kernel registration: the files npm start reads (package.json,
// scripts/, notebooks/), with dist/ and node_modules/'s packages linked to the real ones.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");

function projectCopy(prefix = "d2l-start-") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of ["package.json", "scripts", "notebooks"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "dist"), path.join(dir, "dist"), "dir");
  // node_modules: a folder of links to the real packages — but Plotly copied, because Jupyter serves
  // files only from inside its root (a figure in a reloaded page loads Plotly from there).
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    const from = path.join(ROOT, "node_modules", entry);
    if (entry === "plotly.js-dist-min") fs.cpSync(from, path.join(dir, "node_modules", entry), { recursive: true });
    else fs.symlinkSync(from, path.join(dir, "node_modules", entry));
  }
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
