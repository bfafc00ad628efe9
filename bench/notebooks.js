#!/usr/bin/env node
// `npm run bench:notebooks`: how long a full run of each chapter notebook takes, kernel start
// included — through the Node runner (test/helpers/kernel.ts: the real tslab kernel over ZeroMQ,
// what `npm test` does) and through real Jupyter (`jupyter nbconvert --execute`, what
// `npm run test:jupyter` does). Median of 3 runs each. Timings only: nothing here is asserted.
// The chapter's last cell, `await showGrade()`, grades the exercises (src/grader/): its time is shown
// on its own, and each total also without it ("w/o grade"), so the lesson's cells and the grader
// can be told apart.
//
//   node bench/notebooks.js [--runs 3] [--only runner|nbconvert] [notebook.ipynb ...]
require("../scripts/ci/ts-require");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { runNotebook } = require("../test/helpers/kernel.ts");
const checks = require("../test/helpers/kernel-checks.ts");
const { jupyterHome, checkKernelVisible } = require("../scripts/ci/jupyter-home");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "3"));
const ONLY = option("--only", null);
const named = args.filter((a, i) => a.endsWith(".ipynb") && !["--runs", "--only"].includes(args[i - 1]));
const notebooks = named.length ? named.map((f) => path.resolve(f)) : checks.CHAPTER_NOTEBOOKS.filter((f) => fs.existsSync(f));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(2);

/** The grading cell: it calls showGrade() (the chapter's last cell). */
const isGradeCell = (cell) => cell.cell_type === "code" && /\bshowGrade\s*\(/.test(checks.text(cell.source));

/** One run through the Node runner: total, kernel start, grading cell, and how many cells failed. */
async function runnerOnce(file) {
  const run = await runNotebook(file);
  return {
    total: run.totalMs,
    start: run.startMs,
    grade: run.runs.filter((r) => isGradeCell(run.notebook.cells[r.index])).reduce((sum, r) => sum + (r.ms ?? 0), 0),
    problems: run.runs.filter((r) => r.status !== "ok").length,
  };
}

/** How long nbconvert's kernel took for the grading cell, from the timestamps nbclient records in each cell's metadata. */
function nbconvertGradeMs(executed) {
  return executed.cells.filter(isGradeCell).reduce((sum, cell) => {
    const t = cell.metadata?.execution ?? {};
    // busy → idle: tslab sends its execute_reply for a cell with top-level await before the cell's
    // work is done; the kernel is idle again only when it is.
    const [start, end] = [Date.parse(t["iopub.status.busy"]), Date.parse(t["iopub.status.idle"])];
    return sum + (Number.isFinite(start) && Number.isFinite(end) ? end - start : NaN);
  }, 0);
}

/** One run through `jupyter nbconvert --execute`: total, grading cell, and whether anything failed. */
function nbconvertOnce(file, home) {
  const out = path.join(home.dir, "out", path.basename(path.dirname(file)));
  const t = process.hrtime.bigint();
  const r = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--allow-errors",
    "--ExecutePreprocessor.timeout=120", "--output-dir", out, file], { env: home.env, encoding: "utf8" });
  const total = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) return { total, grade: NaN, problems: 1 };
  const executed = checks.readNotebook(path.join(out, path.basename(file)));
  const problems = checks.checkExecutedNotebook(executed, { name: file, fixture: {} }).filter((p) => /stderr|raised/.test(p.message)).length;
  return { total, grade: nbconvertGradeMs(executed), problems };
}

async function main() {
  if (notebooks.length === 0) throw new Error("no notebooks found under notebooks/");
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, ${RUNS} runs each, median shown; load at start ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  // Interleaved: each round runs every notebook once through each way, so a busy spell on the shared
  // machine falls on all of them rather than on one notebook or one way of running it.
  const rows = notebooks.map((file) => ({ notebook: checks.rel(file), runner: ONLY !== "nbconvert" ? [] : null, nbconvert: ONLY !== "runner" ? [] : null }));
  const loads = [];
  const home = ONLY !== "runner" ? jupyterHome() : null;
  try {
    if (home) checkKernelVisible(home.env);
    for (let round = 0; round < RUNS; round++) {
      for (const row of rows) {
        const file = path.join(checks.ROOT, row.notebook);
        loads.push(os.loadavg()[0]);
        if (row.runner) row.runner.push(await runnerOnce(file));
        if (row.nbconvert) row.nbconvert.push(nbconvertOnce(file, home));
      }
    }
  } finally {
    if (home) home.remove();
  }

  const header = [
    "notebook", "runner total (s)", "w/o grade (s)", "grade cell (s)", "kernel start (s)", "runner runs (s)",
    "nbconvert total (s)", "w/o grade (s)", "grade cell (s)", "nbconvert runs (s)", "failing cells",
  ];
  // Per run, the total without the grading cell; the median of those (not median total − median grade).
  const col = (runs, key) => (runs ? sec(median(runs.map((x) => x[key]))) : "-");
  const without = (runs) => (runs ? sec(median(runs.map((x) => x.total - x.grade))) : "-");
  const all = (runs) => (runs ? runs.map((x) => sec(x.total)).join(" ") : "-");
  const lines = rows.map((r) => [
    r.notebook,
    col(r.runner, "total"), without(r.runner), col(r.runner, "grade"), col(r.runner, "start"), all(r.runner),
    col(r.nbconvert, "total"), without(r.nbconvert), col(r.nbconvert, "grade"), all(r.nbconvert),
    String(Math.max(0, ...[...(r.runner ?? []), ...(r.nbconvert ?? [])].map((x) => x.problems))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log("");
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
  console.log("");
  console.log("runner:    runNotebook() from test/helpers/kernel.ts (tslab kernel started in the notebook's folder, every code cell, shutdown)");
  console.log("nbconvert: jupyter nbconvert --to notebook --execute --allow-errors --ExecutePreprocessor.timeout=120 (kernel registered in a temp prefix)");
  console.log(`command:   node bench/notebooks.js${args.length ? ` ${args.join(" ")}` : ""}   (npm run bench:notebooks)`);
  console.log(`load:      1-minute load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} at the runs' starts; ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (1, 5, 15 min) at the end`);
  console.log("order:     interleaved: each of the runs goes through every notebook, the runner then nbconvert");
  if (lines.some((l) => l[10] !== "0")) console.log("note: some notebooks have failing cells (see npm test / npm run test:jupyter); their timings stop or error early");
}

main().catch((error) => {
  console.error(error.stack || String(error));
  process.exitCode = 1;
});
