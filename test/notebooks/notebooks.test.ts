import { hang } from "../helpers/hang";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kernel, runNotebook } from "../helpers/kernel";
import {
  CHAPTER_NOTEBOOKS, Notebook, ROOT, checkExecutedNotebook, checkFixtureCoverage, findNotebooks,
  formatProblems, loadFixture, printedText, readNotebook, rel,
} from "../helpers/kernel-checks";

// Every chapter notebook, run cell by cell in the real tslab kernel (one kernel per notebook,
// started in the notebook's folder as JupyterLab does), then checked: no errors, nothing on
// stderr, tagged cells print exactly what PyTorch prints, figure cells send plotly HTML.

const notebooks = findNotebooks();

describe("chapter notebooks", () => {
  it("the four chapter notebooks exist", () => {
    const missing = CHAPTER_NOTEBOOKS.filter((f) => !fs.existsSync(f)).map(rel);
    expect(missing, `missing notebooks (scripts/notebooks/build.js writes them): ${missing.join(", ")}`).toEqual([]);
  });

  it("every tagged cell has a fixture and every fixture id is used by a notebook", () => {
    const problems = checkFixtureCoverage(notebooks, loadFixture());
    if (problems.length) throw new Error(`${problems.length} problem(s):\n${formatProblems(problems)}`);
  });

  for (const file of notebooks) {
    it(`${rel(file)} runs in the tslab kernel: no errors, no stderr, PyTorch's printed text, figures`, async () => {
      const fixture = loadFixture();
      const run = await runNotebook(file, { cellTimeoutMs: hang(300_000) });
      const problems = checkExecutedNotebook(run.notebook, { name: rel(file), fixture, runs: run.runs });
      if (problems.length) {
        throw new Error(`${problems.length} problem(s) in ${rel(file)}:\n${formatProblems(problems)}\n${run.kernelLog ? `kernel log:\n${run.kernelLog}` : ""}`);
      }
      expect(run.runs.length).toBeGreaterThan(0);
      // A cell whose exercise is not done says so in one line; it does not show an Error's stack.
      const printed = run.notebook.cells.map((c) => printedText(c.outputs ?? [])).join("\n");
      expect(printed, "a stack trace shown as a cell's output").not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }, 120_000);
  }
});

// Cells marked "needs" print what a solved exercise computes; the prose cites their numbers. With the
// reference solutions loaded (D2L_EXERCISES_DIR=solutions), those cells must print PyTorch's text
// too, and every number the prose cites must be in what its cell printed. (The student copy has no
// solutions/, so there this block is not declared: it checks the instructor's project.)
const describeWithSolutions = fs.existsSync(path.join(ROOT, "solutions")) ? describe : () => undefined;
describeWithSolutions("notebooks whose cells need solved exercises, run with the reference solutions", () => {
  const needing = notebooks.filter((file) => readNotebook(file).cells.some((c) => c.metadata?.d2l?.needs !== undefined));

  it("the explore notebooks have such cells", () => {
    expect(needing.map(rel)).toEqual(["notebooks/en/pooling-explore.ipynb", "notebooks/zh/pooling-explore.ipynb"]);
  });

  for (const file of needing) {
    it(`${rel(file)} with D2L_EXERCISES_DIR=solutions: every tagged cell prints PyTorch's text, every cited number is printed`, async () => {
      const run = await runNotebook(file, { cellTimeoutMs: hang(300_000), env: { ...process.env, D2L_EXERCISES_DIR: "solutions" } });
      const problems = checkExecutedNotebook(run.notebook, { name: rel(file), fixture: loadFixture(), runs: run.runs, solutions: true });
      if (problems.length) throw new Error(`${problems.length} problem(s) in ${rel(file)}:\n${formatProblems(problems)}`);
      const printed = run.notebook.cells.map((c) => printedText(c.outputs ?? [])).join("\n");
      expect(printed, "no exercise reported itself not ready").not.toMatch(/is not ready yet|还不能用/);
    }, 120_000);
  }
});

// The student's loop: edit exercises/<name>.ts, restart the kernel, import it again in the
// notebook and see the edit. The probe exercise exists only while this block runs.
describe("a notebook sees the student's edited exercise after a kernel restart", () => {
  const name = "zz-restart-probe";
  const source = path.join(ROOT, "exercises", `${name}.ts`);
  const entry = path.join(ROOT, "dist", "exercises", `${name}.js`);
  const write = (value: number) =>
    fs.writeFileSync(source, `// Temporary: test/notebooks/notebooks.test.ts writes and deletes this file.\nexport const probe: number = ${value};\nexport function scaled(x: number): number {\n  return probe * x;\n}\n`);
  const buildEntries = () => execFileSync(process.execPath, [path.join(ROOT, "scripts", "build-entries.js")], { cwd: ROOT });
  // JupyterLab starts the kernel in the notebook's folder; notebooks/zh is the chapter's.
  const cwd = fs.existsSync(path.join(ROOT, "notebooks", "zh")) ? path.join(ROOT, "notebooks", "zh") : path.join(ROOT, "notebooks");
  const cell = `import { probe, scaled } from "d2l-pooling/exercises/${name}";\nconsole.log(probe, scaled(2));`;

  beforeAll(() => {
    write(1);
    buildEntries();
  });
  afterAll(() => {
    fs.rmSync(source, { force: true });
    fs.rmSync(entry, { force: true });
  });

  it("imports d2l-pooling/exercises/<name>, edit + restart shows the new value (kernel cwd = notebook folder)", async () => {
    expect(fs.existsSync(entry), "scripts/build-entries.js wrote the dist entry").toBe(true);
    let kernel = await Kernel.start({ cwd });
    try {
      const before = await kernel.execute(cell, hang(300_000));
      expect(before.status, JSON.stringify(before.outputs)).toBe("ok");
      expect(printedText(before.outputs)).toBe("1 2");

      write(7);
      // Without a restart the module stays cached: the kernel still shows the old value.
      const stale = await kernel.execute(`console.log(require("d2l-pooling/exercises/${name}").probe)`, hang(300_000));
      expect(printedText(stale.outputs)).toBe("1");

      const first = kernel;
      kernel = await kernel.restart();
      expect(first.exitedCleanly, "the old kernel exited with code 0 on shutdown_request").toBe(true);
      expect(kernel.child.pid, "a restart starts a new kernel process").not.toBe(first.child.pid);
      const after = await kernel.execute(cell, hang(300_000));
      expect(after.status, JSON.stringify(after.outputs)).toBe("ok");
      expect(printedText(after.outputs)).toBe("7 14");

      // tslab type-checks the import against the student's source: a wrong type is reported.
      const typed = await kernel.execute(`const s: string = probe;`, hang(300_000));
      expect(typed.status).toBe("error");
      expect(typed.outputs.map((o) => o.text).join("")).toContain("Type 'number' is not assignable to type 'string'");
    } finally {
      await kernel.shutdown();
    }
  }, 90_000);
});

// The runner must catch what it claims to catch; a scratch notebook in a temp folder proves it.
describe("the notebook runner reports failures", () => {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-runner-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const notebook = (cells: { source: string; expect?: string }[]): string => {
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: "d2l-pooling-typescript", display_name: "TypeScript (d2l pooling)", language: "typescript" } },
      cells: cells.map((c, i) => ({
        cell_type: "code", id: `c${i}`, source: c.source, outputs: [], execution_count: null,
        metadata: c.expect ? { d2l: { expect: c.expect } } : {},
      })),
    };
    const file = path.join(dir, `nb-${Math.random().toString(36).slice(2)}.ipynb`);
    fs.writeFileSync(file, JSON.stringify(nb));
    return file;
  };

  it("flags stderr, printed-text mismatches, missing figures and stops at a thrown error", async () => {
    const file = notebook([
      { source: "console.log('tensor([1.])')", expect: "same" },
      { source: "console.log('tensor([2.])')", expect: "differs" },
      { source: "console.error('careful')" },
      { source: "const show = (s: string) => s.length; show('no figure');" },
      { source: "throw new Error('boom')" },
      { source: "console.log('never runs')" },
    ]);
    const run = await runNotebook(file, { cellTimeoutMs: hang(300_000) });
    expect(run.runs.map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok", "error", "not run"]);
    const problems = checkExecutedNotebook(run.notebook, { name: "scratch", fixture: { same: "tensor([1.])\n", differs: "tensor([3.])" }, runs: run.runs });
    const report = formatProblems(problems);
    expect(problems.map((p) => p.cell)).toEqual([1, 2, 3, 4, 4, 5]);
    expect(report).toContain('expected "tensor([3.])", got "tensor([2.])"');
    expect(report).toContain("wrote to stderr");
    expect(report).toContain("careful");
    expect(report).toContain("produced no text/html display_data");
    expect(report).toContain("Error: boom");
    expect(report).toContain("was not run");
  }, hang(600_000));

  it("times out a cell that never finishes and still stops the kernel", async () => {
    const kernel = await Kernel.start({ cwd: dir });
    try {
      const result = await kernel.execute("while (true) {}", 1_500);
      expect(result.status).toBe("timeout");
    } finally {
      await kernel.shutdown(500);
    }
    expect(kernel.child.exitCode !== null || kernel.child.signalCode !== null, "the kernel process is gone").toBe(true);
  }, hang(600_000));
});
