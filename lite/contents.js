/**
 * The course files the site starts with: notebooks/<lang>/*.ipynb and exercises/*.ts, as
 * files/<path> plus the listings JupyterLite's contents read (api/contents/<folder>/all.json).
 * A student's edits are kept in the browser (IndexedDB) and shadow these.
 */
const fs = require("node:fs");
const path = require("node:path");

/** Which files of a project (or student copy) go into the site. */
function courseFiles(from) {
  const files = [];
  const notebooks = path.join(from, "notebooks");
  for (const lang of fs.readdirSync(notebooks).sort()) {
    const dir = path.join(notebooks, lang);
    if (lang.startsWith(".") || !fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith(".ipynb") && !f.startsWith("_") && !f.startsWith(".")) files.push(`notebooks/${lang}/${f}`);
    }
  }
  for (const f of fs.readdirSync(path.join(from, "exercises")).sort()) {
    if (f.endsWith(".ts") && !f.endsWith(".d.ts")) files.push(`exercises/${f}`);
  }
  return files;
}

const EPOCH = new Date(0).toISOString();

function fileModel(rel, size, stamp) {
  const notebook = rel.endsWith(".ipynb");
  return {
    name: path.posix.basename(rel),
    path: rel,
    type: notebook ? "notebook" : "file",
    format: notebook ? "json" : "text",
    mimetype: notebook ? "application/json" : "text/plain",
    size,
    writable: true,
    created: stamp,
    last_modified: stamp,
    content: null,
  };
}

function folderModel(rel, content) {
  return { name: path.posix.basename(rel), path: rel, type: "directory", format: "json", mimetype: null, size: null, writable: true, created: EPOCH, last_modified: EPOCH, content };
}

function writeContents(from, out) {
  const files = courseFiles(from);
  const folders = new Map([["", []]]);
  const ensure = (dir) => {
    if (folders.has(dir)) return;
    ensure(path.posix.dirname(dir) === "." ? "" : path.posix.dirname(dir));
    folders.set(dir, []);
    folders.get(path.posix.dirname(dir) === "." ? "" : path.posix.dirname(dir)).push(folderModel(dir, null));
  };
  for (const rel of files) {
    const src = path.join(from, rel);
    const dest = path.join(out, "files", rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(src, dest);
    const dir = path.posix.dirname(rel);
    ensure(dir);
    folders.get(dir).push(fileModel(rel, fs.statSync(src).size, fs.statSync(src).mtime.toISOString()));
  }
  for (const [dir, content] of folders) {
    const listing = path.join(out, "api", "contents", dir, "all.json");
    fs.mkdirSync(path.dirname(listing), { recursive: true });
    fs.writeFileSync(listing, JSON.stringify(folderModel(dir, content)));
  }
  return files;
}

module.exports = { courseFiles, writeContents };
