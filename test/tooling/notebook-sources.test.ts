import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EXERCISES } from "../../src/grader/manifest";
import { Compare, sentences, untiedComparisons } from "./comparisons";

// The notebook sources (scripts/notebooks/*.md) and their builder: the format's rules, the
// committed notebooks being exactly what the sources make, and the exercise lists agreeing with
// the grader's manifest.
const ROOT = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseSource, relationProblem } = require("../../scripts/notebooks/source.js") as {
  parseSource(text: string, lang: "zh" | "en", file?: string): {
    id: string; cell_type: string; source: string; attrs: Record<string, string>; cites: { cell: string; text: string }[]; compares: Compare[];
  }[];
  relationProblem(a: string, op: string, b: string): string | null;
};

const sample = [
  "<!-- a note for maintainers -->",
  "",
  "<!-- #intro -->",
  ":begin_tab:`zh`",
  "# 汇聚层",
  "",
  "$\\max(a, b)$",
  ":end_tab:",
  "",
  ":begin_tab:`en`",
  "# Pooling",
  ":end_tab:",
  "",
  "```ts #shared expect=x",
  "show(figure({{lang}}))",
  'console.log("{{zh:平移|en:shift}}", 1)',
  "```",
  "",
  "<!-- #zh-only -->",
  ":begin_tab:`zh`",
  "只有中文",
  ":end_tab:",
  "",
  "```ts #per-language",
  "%%tab en",
  "// English only",
  "```",
].join("\n");

describe("notebook sources: the format", () => {
  it("tabs pick each language's text; code cells are shared; {{lang}} and {{zh:…|en:…}} are filled in", () => {
    const zh = parseSource(sample, "zh");
    const en = parseSource(sample, "en");
    expect(zh.map((c) => c.id)).toEqual(["intro", "shared", "zh-only"]);
    expect(en.map((c) => c.id)).toEqual(["intro", "shared", "per-language"]);
    expect(zh[0].source).toBe("# 汇聚层\n\n$\\max(a, b)$");
    expect(en[0].source).toBe("# Pooling");
    expect(zh[1]).toMatchObject({ cell_type: "code", source: 'show(figure(zh))\nconsole.log("平移", 1)', attrs: { expect: "x" } });
    expect(en[1].source).toBe('show(figure(en))\nconsole.log("shift", 1)');
    expect(en[2].source).toBe("// English only");
  });

  it("<!-- #id collapsed --> marks a heading whose section JupyterLab opens folded; only prose may fold", () => {
    const fold = "<!-- #q -->\nYour turn.\n\n<!-- #d collapsed -->\n### Discussion\n\n<!-- #body -->\nThe answer.\n\n";
    const [, heading] = parseSource(`${fold}<!-- #next -->\n## Next\n`, "en");
    expect(heading).toMatchObject({ id: "d", source: "### Discussion", attrs: { collapsed: true } });
    expect(() => parseSource("<!-- #d collapsed -->\n### Discussion\n\nand text\n", "en", "bad.md")).toThrow(/bad\.md:1: #d collapsed: a collapsed cell holds one heading/);
    // The builder refuses a fold that would hide code (a student must see what to run) or hide nothing.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-fold-"));
    try {
      for (const rel of ["scripts/notebooks", "test/helpers/relations.js", "notebooks", "exercises"]) fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
      const build = (text: string) => {
        fs.writeFileSync(path.join(dir, "scripts", "notebooks", "pooling.md"), text);
        return spawnSync(process.execPath, ["scripts/notebooks/build.js"], { cwd: dir, encoding: "utf8" });
      };
      expect(build(`${fold}\`\`\`ts #code\n1\n\`\`\`\n`).stderr).toMatch(/#d collapsed would fold code cell #code in the zh notebook/);
      expect(build("<!-- #d collapsed -->\n### Discussion\n\n<!-- #next -->\n### Next\n").stderr).toMatch(/#d collapsed folds nothing/);
      const ok = build(`${fold}<!-- #next -->\n## Next\n`);
      expect(ok.status, ok.stderr).toBe(0);
      const nb = JSON.parse(fs.readFileSync(path.join(dir, "notebooks", "en", "pooling.ipynb"), "utf8"));
      expect(nb.cells.find((c: { id: string }) => c.id === "pooling-d").metadata).toEqual({ "jp-MarkdownHeadingCollapsed": true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["<!-- #a -->\n:begin_tab:`zh`\ntext", /:3: the zh tab is not closed/],
    ["<!-- #a -->\n:end_tab:", /:2: :end_tab: without :begin_tab:/],
    ["<!-- #a -->\n:begin_tab:`fr`\nx\n:end_tab:", /:2: a tab reads/],
    ["```ts #a\nx", /:1: code cell #a is not closed/],
    ["```ts #a hidden=1\nx\n```", /:1: unknown attribute 'hidden'/],
    ["```ts #a\n%%tab fr\nx\n```", /:2: %%tab fr: expected zh or en/],
    ["```ts #a\nlabel({{zh:a}})\n```", /inline label reads/],
    ["```ts #a\nx\n```\nstray text", /:4: text outside a cell/],
    ["<!-- #a -->\n```python\nx\n```", /:2: a code fence must read/],
  ])("reports a malformed source with its line: %j", (text, message) => {
    expect(() => parseSource(text, "zh", "bad.md")).toThrow(message);
  });
});

describe("notebook sources: the builder", () => {
  it("the committed notebooks are exactly what scripts/notebooks/*.md make (node scripts/notebooks/build.js --check)", () => {
    const run = spawnSync(process.execPath, ["scripts/notebooks/build.js", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("--check fails and names the notebook when a source and its notebook differ", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-nbsrc-"));
    try {
      // A copy of the builder (and the relations it checks), its sources and the exercises they name,
      // with one notebook edited by hand.
      for (const rel of ["scripts/notebooks", "test/helpers/relations.js", "notebooks", "exercises"]) fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
      const target = path.join(dir, "notebooks", "en", "pooling.ipynb");
      fs.writeFileSync(target, fs.readFileSync(target, "utf8").replace("# Pooling", "# Pooling (edited)"));
      const run = spawnSync(process.execPath, ["scripts/notebooks/build.js", "--check"], { cwd: dir, encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("notebooks/en/pooling.ipynb is out of date");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the chapter's exercise lists agree with the grader's manifest", () => {
  for (const lang of ["zh", "en"] as const) {
    it(`notebooks/${lang}/pooling.ipynb: number, file and exports of every exercise`, () => {
      const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", lang, "pooling.ipynb"), "utf8"));
      const cell = nb.cells.find((c: { id: string }) => c.id === "pooling-exercises");
      const text: string = cell.source.join("");
      const items = [...text.matchAll(/^(\d+)\. .*\n {3}.*\[`exercises\/([a-z-]+)\.ts`\].*?[（(](?:要完成的导出：|exports to complete: )(.*)[）)]$/gm)];
      const listed = items.map(([, n, file, exports]) => ({ n: Number(n), file, exports: exports.split(/、|, /).map((e) => e.replace(/`/g, "")) }));
      expect(listed.map((e) => e.file).sort()).toEqual(EXERCISES.map((e) => e.id).sort());
      const own = EXERCISES.filter((e) => e[lang] !== null).sort((a, b) => (a[lang] as number) - (b[lang] as number));
      for (const e of EXERCISES) {
        const item = listed.find((l) => l.file === e.id)!;
        expect(item.exports, `${e.id}: exports`).toEqual([...e.exports]);
        // The book's own exercises carry its numbers; the other edition's follow after them.
        if (e[lang] !== null) expect(item.n, `${e.id}: number in ${lang}`).toBe(e[lang]);
        else expect(item.n, `${e.id}: listed after the ${own.length} exercises of the ${lang} book`).toBeGreaterThan(own.length);
      }
    });
  }
});

// Numbers the prose takes from a cell's output are written {{0.3333 @cell}} in the sources; the
// notebooks record them in the markdown cell's metadata. Each must appear in what PyTorch prints for
// that cell (test/fixtures/notebook-outputs.json), which the notebook runs check the cell prints; the
// runs check the executed outputs directly as well (test/helpers/kernel-checks.ts).
describe("numbers in the notebooks' prose", () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "notebook-outputs.json"), "utf8")) as Record<string, string>;
  const showsNumber = (printed: string, n: string) => new RegExp(`(^|[^0-9.])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9])`).test(printed);
  for (const lang of ["zh", "en"]) {
    for (const name of ["pooling", "pooling-explore"]) {
      it(`notebooks/${lang}/${name}.ipynb: every cited number is in PyTorch's text for the cell it cites`, () => {
        const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", lang, `${name}.ipynb`), "utf8"));
        type NbCell = { id: string; metadata: { d2l?: { expect?: string; cites?: { cell: string; text: string }[] } } };
        const cells = nb.cells as NbCell[];
        const wrong: string[] = [];
        for (const cell of cells) {
          for (const { cell: cited, text } of cell.metadata.d2l?.cites ?? []) {
            const expect = cells.find((c) => c.id === cited)?.metadata.d2l?.expect;
            if (!expect || !(expect in fixture)) wrong.push(`${cell.id} cites ${text} from ${cited}, which has no fixture`);
            else if (!showsNumber(fixture[expect], text)) wrong.push(`${cell.id} says ${text}, but PyTorch's text for ${cited} (${expect}) is:\n${fixture[expect]}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    }
  }

  for (const lang of ["zh", "en"]) {
    for (const name of ["pooling", "pooling-explore"]) {
      it(`notebooks/${lang}/${name}.ipynb: every relation between cited numbers holds, in PyTorch's numbers`, () => {
        const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", lang, `${name}.ipynb`), "utf8"));
        const wrong: string[] = [];
        for (const cell of nb.cells as { id: string; metadata: { d2l?: { compares?: Compare[] } } }[]) {
          for (const { left, op, right } of cell.metadata.d2l?.compares ?? []) {
            const problem = relationProblem(left.text, op, right.text);
            if (problem) wrong.push(`${cell.id}: ${problem}`);
          }
        }
        expect(wrong).toEqual([]);
      });
    }
  }

  it("scripts/notebooks/*.md: every number with two or more decimals (or a %) in the prose is a citation", () => {
    const uncited: string[] = [];
    for (const file of fs.readdirSync(path.join(ROOT, "scripts", "notebooks")).filter((f) => f.endsWith(".md"))) {
      const prose = fs
        .readFileSync(path.join(ROOT, "scripts", "notebooks", file), "utf8")
        .replace(/```[\s\S]*?```/g, "") // code cells
        .replace(/<!--[\s\S]*?-->/g, "")
        .replace(/\{\{[^{}]*\}\}/g, "") // citations
        .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, "") // math
        .replace(/`[^`\n]*`/g, ""); // inline code
      for (const m of prose.matchAll(/\d+\.\d{2,}|\d+(?:\.\d+)?\s?%/g)) uncited.push(`${file}: ${m[0]} (write it as {{${m[0]} @<cell>}})`);
    }
    expect(uncited).toEqual([]);
  });

  it("{{a @cell > b @cell}} shows the relation, cites both numbers, and is refused when it is false", () => {
    const source = (relation: string) => `<!-- #reading -->\nMax changes more ({{${relation}}}).\n`;
    const [cell] = parseSource(source("0.6930 @measure > 0.4464 @measure"), "en");
    expect(cell.source).toBe("Max changes more (0.6930 > 0.4464).");
    expect(cell.cites).toEqual([{ text: "0.6930", cell: "measure" }, { text: "0.4464", cell: "measure" }]);
    expect(cell.compares).toEqual([{ left: { text: "0.6930", cell: "measure" }, op: ">", right: { text: "0.4464", cell: "measure" } }]);
    expect(() => parseSource(source("0.4464 @measure > 0.6930 @measure"), "en", "bad.md")).toThrow(/bad\.md:1: .*0\.4464 > 0\.6930 is false/);
    expect(() => parseSource(source("0.1250 @measure < 0.0833 @measure"), "zh")).toThrow(/is false/);
    expect(() => parseSource(source("many @measure > few @measure"), "en")).toThrow(/must be numbers as printed/);
    // ≈: within 5% of the larger magnitude; = exactly.
    expect(relationProblem("0.4270", "≈", "0.4288")).toBeNull();
    expect(relationProblem("0.40", "≈", "0.43")).toMatch(/is false/);
    expect(relationProblem("0.8563", "=", "0.8563")).toBeNull();
    expect(relationProblem("0.8563", "=", "0.8564")).toMatch(/is false/);
  });

  it("a cited number is checked as printed: 0.5 is not in 0.5000, 6 is in [0., 6., 3.]", () => {
    expect(showsNumber("tensor([0.5000])", "0.5")).toBe(false);
    expect(showsNumber("[0., 6., 3.]", "6")).toBe(true);
    expect(showsNumber("16 outputs", "6")).toBe(false);
  });
});

// The comparative sentences of the prose (test/tooling/comparisons.ts): every sentence that compares
// says so with a checked relation of printed numbers ({{a @cell > b @cell}}), or reports what a
// benchmark script measured. Definitions that merely use comparative words are listed here, each
// with the reason it is not a claim about numbers.
const NOT_CLAIMS: { cell: string; lang: "zh" | "en"; fragment: string; why: string }[] = [
  { cell: "pooling-explore-global-nin", lang: "zh", fragment: "这一对就算分对了", why: "defines what the table counts" },
];

describe("comparisons in the notebooks' prose", () => {
  for (const lang of ["zh", "en"] as const) {
    for (const name of ["pooling", "pooling-explore"]) {
      it(`notebooks/${lang}/${name}.ipynb: every comparative sentence states a checked relation of printed numbers`, () => {
        const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", lang, `${name}.ipynb`), "utf8"));
        type NbCell = { id: string; cell_type: string; source: string[]; metadata: { d2l?: { compares?: Compare[] } } };
        const untied = (nb.cells as NbCell[])
          .filter((c) => c.cell_type === "markdown")
          .flatMap((c) => untiedComparisons(c.source.join(""), c.metadata.d2l?.compares ?? [], lang)
            .filter((p) => !NOT_CLAIMS.some((n) => n.cell === c.id && n.lang === lang && p.includes(n.fragment)))
            .map((p) => `${c.id}: ${p}`));
        expect(untied).toEqual([]);
      });
    }
  }

  it("every NOT_CLAIMS entry still names a sentence of its cell (no stale exemptions)", () => {
    for (const { cell, lang, fragment } of NOT_CLAIMS) {
      const nb = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", lang, `${cell.startsWith("pooling-explore") ? "pooling-explore" : "pooling"}.ipynb`), "utf8"));
      const text = (nb.cells as { id: string; source: string[] }[]).find((c) => c.id === cell)?.source.join("") ?? "";
      expect(sentences(text).some((s) => s.includes(fragment)), `${cell} (${lang}): ${fragment}`).toBe(true);
    }
  });

  it("catches what issue 21 found: a comparison with loose numbers, or none, in either language", () => {
    const loose = "The random input: max pooling changes more than average pooling (0.6930 against 0.4464).";
    expect(untiedComparisons(loose, [], "en")).toHaveLength(1);
    expect(untiedComparisons("In nearly all cases max-pooling is the better choice of the two.", [], "en")).toHaveLength(1);
    expect(untiedComparisons("随机输入：最大汇聚变得比平均汇聚还多（0.6930 对 0.4464）。", [], "zh")).toHaveLength(1);
    expect(untiedComparisons("从 k = 2 到 k = 21，参考循环的时间涨了十倍以上。", [], "zh")).toHaveLength(1);
    expect(untiedComparisons("The loop grew 23-fold.", [], "en")).toHaveLength(1);
    // Written as a relation, the same sentence is tied; a relation typed by hand is not.
    const relation: Compare = { left: { cell: "measure", text: "0.6930" }, op: ">", right: { cell: "measure", text: "0.4464" } };
    expect(untiedComparisons("Max pooling changes more than average pooling (0.6930 > 0.4464).", [relation], "en")).toEqual([]);
    expect(untiedComparisons("Max pooling changes more than average pooling (0.6930 > 0.4464).", [], "en")).toEqual([
      "a relation written by hand (write it as {{a @cell > b @cell}}): Max pooling changes more than average pooling (0.6930 > 0.4464).",
    ]);
    // Sentences that compare nothing are left alone; a benchmark's report names its script.
    expect(untiedComparisons("The larger β, the more weight goes to the largest value.", [], "en")).toEqual([]);
    expect(untiedComparisons("In 12 runs of `node bench/notebook-cost.js` the loop grew more than tenfold.", [], "en")).toEqual([]);
  });
});
