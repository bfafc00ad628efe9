// Reads a notebook source (scripts/notebooks/<name>.md): one Markdown file holds both languages of a
// notebook, code cells written once. The format (docs/notebooks.md has the whole story):
//
//   <!-- #title -->                   a markdown cell with id "title"; its text runs to the next cell
//   :begin_tab:`zh`                   text for the Chinese notebook only (d2l's own tab markers) …
//   # 汇聚层
//   :end_tab:
//   :begin_tab:`en`                   … and for the English one; text outside tabs goes to both
//   # Pooling
//   :end_tab:
//
//   ```ts #pool2d-max expect=pool2d-max    a code cell with id "pool2d-max", shared by both languages;
//   const X = torch.tensor(…);             expect=NAME: its stdout must equal PyTorch's text for
//   pool2d(X, [2, 2])                      "<lang>/NAME" in test/fixtures/notebook-outputs.json
//   ```
//
// In a code cell, a first line `%%tab zh` (or en) keeps the cell in one language only (d2l's
// `%%tab pytorch`); `{{lang}}` becomes "zh" or "en"; `{{zh:平移|en:shift}}` picks a short label;
// needs=<exercise> marks a cell whose printed text depends on a solved exercise (its expect= is
// checked when the notebooks run with the reference solutions).
// A markdown cell with no text for a language is left out of that language's notebook.
// `<!-- #discussion collapsed -->` marks a cell that holds one heading only: JupyterLab and Notebook 7
// open the notebook with the cells after it folded under it (up to the next heading of its level or
// higher); nbconvert and the classic Notebook show them as a section of their own.
//
// A number that prose takes from a cell's output is written {{0.3333 @measure}}: the notebook shows
// 0.3333, and the cell's metadata records that it cites cell "measure" (tests check the number
// against what that cell prints). A comparison of two printed numbers is written as one relation,
// {{0.6930 @measure > 0.4464 @measure}} (also <, = and ≈): the notebook shows "0.6930 > 0.4464",
// both numbers are citations, and the relation itself must hold (checked here, when the source is
// read, and again by the tests on the built notebooks).

const { relationProblem } = require("../../test/helpers/relations.js");

const TAB_BEGIN = /^:begin_tab:`(zh|en)`\s*$/;
const TAB_END = /^:end_tab:\s*$/;
const MARKDOWN = /^<!--\s*#([a-z0-9-]+)(\s+collapsed)?\s*-->\s*$/;
const FENCE_OPEN = /^```ts\s+#([a-z0-9-]+)((?:\s+[a-z]+=[A-Za-z0-9/_.-]+)*)\s*$/;
const CITATION = /\{\{([^{}@]+?)\s+@([a-z0-9-]+)\}\}/g;
const RELATION = /\{\{\s*([^{}@<>=≈]+?)\s+@([a-z0-9-]+)\s+([<>=≈])\s+([^{}@<>=≈]+?)\s+@([a-z0-9-]+)\s*\}\}/g;
const ATTRIBUTES = ["expect", "needs"];
const FENCE_CLOSE = /^```\s*$/;
const LANGS = ["zh", "en"];

class SourceError extends Error {}

/**
 * The cells of one source file for one language, in order: { id, cell_type: "markdown" | "code",
 * source, attrs, cites, compares, line } (attrs: the fence's key=value pairs; cites: a markdown
 * cell's citations { text, cell }; compares: its relations { left, op, right }, each side a citation;
 * line: where the cell starts in the source).
 */
function parseSource(text, lang, file = "<source>") {
  if (!LANGS.includes(lang)) throw new SourceError(`${file}: unknown language '${lang}' (expected zh or en)`);
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const fail = (n, message) => {
    throw new SourceError(`${file}:${n + 1}: ${message}`);
  };
  const cells = [];
  let n = 0;
  // Anything before the first cell is a note for maintainers (an HTML comment) and is skipped.
  while (n < lines.length && !MARKDOWN.test(lines[n]) && !FENCE_OPEN.test(lines[n])) {
    if (lines[n].startsWith("```")) fail(n, "a code fence must read ```ts #<cell id> [expect=<name>]");
    n++;
  }
  while (n < lines.length) {
    const md = lines[n].match(MARKDOWN);
    const fence = lines[n].match(FENCE_OPEN);
    if (md) {
      const start = n++;
      const body = [];
      while (n < lines.length && !MARKDOWN.test(lines[n]) && !FENCE_OPEN.test(lines[n])) {
        if (lines[n].startsWith("```")) fail(n, "a code fence must read ```ts #<cell id> [expect=<name>]");
        body.push({ n, line: lines[n] });
        n++;
      }
      const text = markdownFor(body, lang, fail);
      if (text !== null) {
        const cites = [];
        const compares = [];
        const source = text
          .replace(RELATION, (all, a, cellA, op, b, cellB) => {
            const [left, right] = [{ text: a.trim(), cell: cellA }, { text: b.trim(), cell: cellB }];
            const problem = relationProblem(left.text, op, right.text);
            if (problem) fail(start, `${all}: ${problem}`);
            cites.push(left, right);
            compares.push({ left, op, right });
            return `${left.text} ${op} ${right.text}`;
          })
          .replace(CITATION, (all, value, cell) => {
            cites.push({ text: value.trim(), cell });
            return value.trim();
          });
        if (/\{\{[^}]*@/.test(source)) {
          fail(start, "a citation reads {{<number as printed> @<cell id>}}, a comparison {{<number> @<cell> <|>|=|≈ <number> @<cell>}}");
        }
        const attrs = {};
        if (md[2]) {
          if (!/^#{1,6} \S[^\n]*$/.test(source)) {
            fail(start, `#${md[1]} collapsed: a collapsed cell holds one heading and nothing else (the cells after it fold under it)`);
          }
          attrs.collapsed = true;
        }
        cells.push({ id: md[1], cell_type: "markdown", source, attrs, cites, compares, line: start + 1 });
      }
    } else if (fence) {
      const start = n++;
      const body = [];
      while (n < lines.length && !FENCE_CLOSE.test(lines[n])) body.push(lines[n++]);
      if (n === lines.length) fail(start, `code cell #${fence[1]} is not closed with \`\`\``);
      n++;
      const attrs = Object.fromEntries(fence[2].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split("=")));
      for (const key of Object.keys(attrs)) if (!ATTRIBUTES.includes(key)) fail(start, `unknown attribute '${key}' (expect=<name> or needs=<exercise>)`);
      if (attrs.needs && !attrs.expect) fail(start, "needs=<exercise> goes with expect=<name>: it says when the expectation holds");
      const tab = body.length && body[0].match(/^%%tab\s+(\S+)\s*$/);
      if (tab && !LANGS.includes(tab[1])) fail(start + 1, `%%tab ${tab[1]}: expected zh or en`);
      if (tab && tab[1] !== lang) continue;
      const code = substitute((tab ? body.slice(1) : body).join("\n"), lang, (message) => fail(start, message));
      cells.push({ id: fence[1], cell_type: "code", source: trimBlankLines(code), attrs, line: start + 1 });
    } else if (lines[n].trim() === "") {
      n++;
    } else {
      fail(n, "text outside a cell (start a markdown cell with <!-- #<cell id> -->)");
    }
  }
  return cells;
}

/** A markdown cell's text for `lang`: shared lines plus that language's tabs; null when it has none. */
function markdownFor(body, lang, fail) {
  const kept = [];
  let tab = null;
  let any = false;
  for (const { n, line } of body) {
    const begin = line.match(TAB_BEGIN);
    if (begin) {
      if (tab) fail(n, `:begin_tab: inside the ${tab} tab (close it with :end_tab:)`);
      tab = begin[1];
      continue;
    }
    if (TAB_END.test(line)) {
      if (!tab) fail(n, ":end_tab: without :begin_tab:");
      tab = null;
      continue;
    }
    if (line.startsWith(":begin_tab:")) fail(n, "a tab reads :begin_tab:`zh` or :begin_tab:`en`");
    if (tab === null || tab === lang) {
      kept.push(line);
      if (line.trim() !== "") any = true;
    }
  }
  if (tab) fail(body[body.length - 1].n, `the ${tab} tab is not closed with :end_tab:`);
  return any ? trimBlankLines(kept.map((l) => l.replace(/\s+$/, "")).join("\n")) : null;
}

/** `{{lang}}` → the language; `{{zh:…|en:…}}` → that language's text. */
function substitute(code, lang, fail) {
  return code.replace(/\{\{(lang|zh:[^|{}]*\|en:[^|{}]*)\}\}/g, (all, inner) => {
    if (inner === "lang") return lang;
    const [zh, en] = inner.split("|");
    return lang === "zh" ? zh.slice(3) : en.slice(3);
  }).replace(/\{\{(zh|en):/g, () => fail("an inline label reads {{zh:…|en:…}}, zh first, without | { } inside"));
}

function trimBlankLines(text) {
  return text.replace(/^(?:[ \t]*\n)+/, "").replace(/(?:\n[ \t]*)+$/, "");
}

module.exports = { parseSource, relationProblem, SourceError, LANGS };
