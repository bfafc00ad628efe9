#!/usr/bin/env node
/**
 * Does the explore notebook's cost section say only what its timings show, run after run?
 * Runs the whole explore notebook N times in the real tslab kernel (test/helpers/kernel.ts, what
 * `npm test` does) and reads what its two timing cells printed:
 *
 * - `timing`: the fastest of 80 interleaved calls per window size (float32, the separable kernel),
 *   and the R² of a line a + b·reads against each read count. The prose claims: the separable
 *   count's R² is the higher one, and the window count's points bend in an arc around their line
 *   (the residual signs below: k = 2 and 3 and 21 under the line, the middle ones above: "--++++-").
 * - `timing-loop`: float64 (the reference loop, every window scanned) at k = 2 and k = 21. The prose
 *   claims: the loop's time per output grows more than tenfold, the kernel's only a few times.
 *
 * Every second run loads the reference solutions (D2L_EXERCISES_DIR=solutions, as instructors and
 * `npm test` run it): the exercises' code runs before the timing cells and changes what the engine has
 * compiled. Timings only, nothing asserted: the last line counts the runs in which each claim held.
 * Run it on a busy machine too (that is where the old measurement failed).
 *
 *   node bench/notebook-cost.js [--runs 10] [notebooks/en/pooling-explore.ipynb]
 */
require("../scripts/ci/ts-require");
const os = require("node:os");
const path = require("node:path");
const { runNotebook } = require("../test/helpers/kernel.ts");
const { lineFit } = require("../dist/plot/figures/cost.js");

const args = process.argv.slice(2);
const RUNS = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 10;
const file = path.resolve(args.find((a) => a.endsWith(".ipynb")) ?? path.join(__dirname, "..", "notebooks", "en", "pooling-explore.ipynb"));
const WINDOW_READS = [2, 3, 5, 7, 11, 15, 21].map((k) => k * k);

const printed = (cell) =>
  cell.outputs.filter((o) => o.output_type === "stream").map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text)).join("");
const numbers = (line) => [...line.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));

async function main() {
  const held = { r2: 0, arc: 0, loop: 0, kernel: 0 };
  for (let r = 1; r <= RUNS; r++) {
    const load = os.loadavg()[0].toFixed(1);
    const solutions = r % 2 === 0;
    const run = await runNotebook(file, solutions ? { env: { ...process.env, D2L_EXERCISES_DIR: "solutions" } } : {});
    const failing = run.runs.filter((x) => x.status !== "ok").length;
    if (failing) throw new Error(`run ${r}: ${failing} cell(s) did not run ok`);
    const cell = (id) => run.notebook.cells.findIndex((c) => c.id === `pooling-explore-${id}`);
    const [timing, loop] = [cell("timing"), cell("timing-loop")];
    const lines = printed(run.notebook.cells[timing]).trim().split("\n");
    const ns = lines.slice(0, WINDOW_READS.length).map((l) => numbers(l)[2]); // "k=2  0.164 ms  2.54 ns per output"
    const [r2Window, r2Separable] = numbers(lines[WINDOW_READS.length].replace("R²", ""));
    const { a, b } = lineFit(WINDOW_READS, ns);
    const signs = ns.map((v, i) => (v >= a + b * WINDOW_READS[i] ? "+" : "-")).join("");
    const [small, large] = printed(run.notebook.cells[loop]).trim().split("\n").map((l) => numbers(l.replace(/float\d+/g, "")));
    const loopGrowth = large[1] / small[1];
    const kernelGrowth = large[2] / small[2];
    held.r2 += r2Separable > r2Window;
    held.arc += signs === "--++++-";
    held.loop += loopGrowth > 10;
    held.kernel += kernelGrowth < 5;
    const ms = (i) => run.runs.find((x) => x.index === i)?.ms ?? NaN;
    console.log(
      `run ${String(r).padStart(2)} ${solutions ? "(solutions)" : "(stubs)    "}  load ${load}  ns/output ${ns.map((v) => v.toFixed(2)).join(" ")}  R² ${r2Window.toFixed(2)}/${r2Separable.toFixed(2)}` +
        `  residuals ${signs}  growth k=2→21: loop ${loopGrowth.toFixed(0)}x, kernel ${kernelGrowth.toFixed(1)}x` +
        `  cells ${ms(timing) + ms(loop)} ms  notebook ${(run.totalMs / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `\nof ${RUNS} runs: separable R² higher in ${held.r2}, window points in an arc ("--++++-") in ${held.arc}, ` +
      `loop grew > 10x in ${held.loop}, kernel < 5x in ${held.kernel}`,
  );
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}; command: node bench/notebook-cost.js --runs ${RUNS}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
