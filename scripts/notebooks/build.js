#!/usr/bin/env node
// Builds the chapter's notebooks from their sources (plain Node, no dependencies):
//
//   node scripts/notebooks/build.js           write notebooks/{zh,en}/<name>.ipynb
//   node scripts/notebooks/build.js --check   exit 1 if a committed notebook differs from its source
//
// Each notebook pair has one source, scripts/notebooks/<name>.md: both languages' prose in d2l's
// :begin_tab: blocks, every code cell written once (the format: scripts/notebooks/source.js and
// docs/notebooks.md). Cell ids are "<name>-<cell id>", stable unless a cell is renamed in the source.
// The notebooks carry no outputs and execution_count null; run them in Jupyter to see the results.

const fs = require("node:fs");
const path = require("node:path");
const { parseSource, LANGS } = require("./source");

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCES = ["pooling", "pooling-explore"];

const METADATA = {
  kernelspec: { name: "d2l-pooling-typescript", display_name: "TypeScript (d2l pooling)", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0" },
};

/** Jupyter's own layout for a cell's source: a list of lines, each ending in "\n" but the last. */
function sourceLines(text) {
  return text.split("\n").map((line, i, all) => (i < all.length - 1 ? line + "\n" : line));
}

function notebook(name, lang, cells, file) {
  const seen = new Set();
  const fullId = (id) => `${name}-${id}`.slice(0, 64);
  const code = new Map(cells.filter((c) => c.cell_type === "code").map((c) => [c.id, c]));
  checkFolds(cells, lang, file);
  const out = cells.map((cell) => {
    const where = `${file}:${cell.line}`;
    if (seen.has(cell.id)) throw new Error(`${where}: duplicate cell id '${cell.id}' in the ${lang} notebook`);
    seen.add(cell.id);
    if (cell.cell_type === "markdown") {
      for (const { text, cell: cited } of cell.cites) {
        if (!code.has(cited)) throw new Error(`${where}: {{${text} @${cited}}} cites no code cell of the ${lang} notebook`);
        if (!code.get(cited).attrs.expect) throw new Error(`${where}: {{${text} @${cited}}} cites a cell without expect=: only tagged cells are checked against PyTorch`);
      }
      const cite = (c) => ({ cell: fullId(c.cell), text: c.text });
      const d2l = {};
      if (cell.cites.length) d2l.cites = cell.cites.map(cite);
      if (cell.compares.length) d2l.compares = cell.compares.map(({ left, op, right }) => ({ left: cite(left), op, right: cite(right) }));
      const metadata = Object.keys(d2l).length ? { d2l } : {};
      // JupyterLab's own key for a heading whose section is folded (Notebook 7 shares it).
      if (cell.attrs.collapsed) metadata["jp-MarkdownHeadingCollapsed"] = true;
      return { cell_type: "markdown", id: fullId(cell.id), metadata, source: sourceLines(cell.source) };
    }
    const d2l = {};
    if (cell.attrs.needs && !fs.existsSync(path.join(ROOT, "exercises", `${cell.attrs.needs}.ts`))) {
      throw new Error(`${where}: needs=${cell.attrs.needs} names no exercise (exercises/${cell.attrs.needs}.ts does not exist)`);
    }
    if (cell.attrs.expect) d2l.expect = `${lang}/${cell.attrs.expect}`;
    if (cell.attrs.needs) d2l.needs = cell.attrs.needs;
    return {
      cell_type: "code",
      execution_count: null,
      id: fullId(cell.id),
      metadata: Object.keys(d2l).length ? { d2l } : {},
      outputs: [],
      source: sourceLines(cell.source),
    };
  });
  return { cells: out, metadata: { ...METADATA, d2l: { lang } }, nbformat: 4, nbformat_minor: 5 };
}

const headingLevel = (cell) => (cell.cell_type === "markdown" ? (cell.source.match(/^(#{1,6}) /) || [null, ""])[1].length : 0);

/**
 * A collapsed heading folds the cells after it, up to the next heading of its level or higher. What
 * folds must be prose (a discussion to open later), never code a student has to run, and something
 * must fold.
 */
function checkFolds(cells, lang, file) {
  cells.forEach((cell, i) => {
    if (!cell.attrs.collapsed) return;
    const level = headingLevel(cell);
    let j = i + 1;
    for (; j < cells.length && !(headingLevel(cells[j]) > 0 && headingLevel(cells[j]) <= level); j++) {
      if (cells[j].cell_type !== "markdown") {
        throw new Error(`${file}:${cell.line}: #${cell.id} collapsed would fold code cell #${cells[j].id} in the ${lang} notebook (end the section with a heading before it)`);
      }
    }
    if (j === i + 1) throw new Error(`${file}:${cell.line}: #${cell.id} collapsed folds nothing in the ${lang} notebook`);
  });
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/** The notebooks as { file, text }, without touching the disk. */
function render() {
  return SOURCES.flatMap((name) => {
    const file = path.join("scripts", "notebooks", `${name}.md`);
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return LANGS.map((lang) => {
      const nb = notebook(name, lang, parseSource(text, lang, file), file);
      // Keys sorted and one-space indent, as Jupyter itself saves a notebook: saving in Jupyter keeps the diff small.
      return { file: `notebooks/${lang}/${name}.ipynb`, text: JSON.stringify(sortKeys(nb), null, 1) + "\n" };
    });
  });
}

module.exports = { render };

if (require.main === module) {
  const check = process.argv.includes("--check");
  let stale = 0;
  let rendered;
  try {
    rendered = render();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  for (const { file, text } of rendered) {
    const target = path.join(ROOT, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : null;
    if (before === text) continue;
    if (check) {
      console.error(`${file} is out of date: run \`node scripts/notebooks/build.js\``);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale > 0) process.exit(1);
  if (check) console.log("notebooks are up to date");
}
