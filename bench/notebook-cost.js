#!/usr/bin/env node
/**
 * Does the explore notebook's appendix say only what its timings show, run after run?
 * Runs the whole explore notebook N times in the real tslab kernel (test/helpers/kernel.ts, what
 * `npm test` does) and reads what its timing cell printed: the fastest call per output for k = 2 … 21
 * of the separable float32 kernel and of the float64 reference loop, and the growth from k = 2 to
 * k = 21 of each. The prose says: in every run, the reference loop's time grew more than tenfold and
 * the separable kernel's less than fivefold (the reads grow 110-fold and about 11-fold). This script
 * counts the runs in which that held and prints the range of each factor, with the load.
 *
 * Every second run loads the reference solutions (D2L_EXERCISES_DIR=solutions, as instructors and
 * `npm test` run it): the exercises' code runs before the timing cell and changes what the engine has
 * compiled. Timings only, nothing asserted. Run it on a busy machine too.
 *
 *   node bench/notebook-cost.js [--runs 12] [notebooks/en/pooling-explore.ipynb]
 */
require("../scripts/ci/ts-require");
const os = require("node:os");
const path = require("node:path");
const { runNotebook } = require("../test/helpers/kernel.ts");

const args = process.argv.slice(2);
const RUNS = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 12;
const file = path.resolve(args.find((a) => a.endsWith(".ipynb")) ?? path.join(__dirname, "..", "notebooks", "en", "pooling-explore.ipynb"));
const SIZES = 7;

const printed = (cell) =>
  cell.outputs.filter((o) => o.output_type === "stream").map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text)).join("");
/** The numbers of a line, labels in any language ignored ("float32", "k=2" and "×" count as labels). */
const numbers = (line) => [...line.replace(/float\d+/g, "").replace(/^k=\d+/, "").matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

async function main() {
  const rows = [];
  for (let r = 1; r <= RUNS; r++) {
    const load = os.loadavg()[0];
    const solutions = r % 2 === 0;
    const run = await runNotebook(file, solutions ? { env: { ...process.env, D2L_EXERCISES_DIR: "solutions" } } : {});
    const failing = run.runs.filter((x) => x.status !== "ok").length;
    if (failing) throw new Error(`run ${r}: ${failing} cell(s) did not run ok`);
    const index = run.notebook.cells.findIndex((c) => c.id === "pooling-explore-timing");
    if (index < 0) throw new Error(`${path.relative(process.cwd(), file)} has no cell "pooling-explore-timing"`);
    const lines = printed(run.notebook.cells[index]).trim().split("\n");
    if (lines.length !== SIZES + 1) throw new Error(`run ${r}: the timing cell printed ${lines.length} lines, expected ${SIZES + 1}:\n${lines.join("\n")}`);
    // "k=2   separable kernel (float32)  2.51  reference loop (float64)  35.1  ns per output"
    const [kernel, loop] = [0, 1].map((j) => lines.slice(0, SIZES).map((l) => numbers(l)[j]));
    const [kernelGrowth, loopGrowth] = numbers(lines[SIZES].replace(/^k=2 → k=21:/, ""));
    const ms = run.runs.find((x) => x.index === index)?.ms ?? NaN;
    rows.push({ load, loopGrowth, kernelGrowth });
    console.log(
      `run ${String(r).padStart(2)} ${solutions ? "(solutions)" : "(stubs)    "}  load ${load.toFixed(1)}  ` +
        `ns/output kernel ${kernel.map((v) => v.toFixed(2)).join(" ")}  loop ${loop.map((v) => v.toFixed(1)).join(" ")}  ` +
        `growth k=2→21: loop ×${loopGrowth}, kernel ×${kernelGrowth}  cell ${ms} ms  notebook ${(run.totalMs / 1000).toFixed(1)} s`,
    );
  }
  const held = { loop: rows.filter((x) => x.loopGrowth > 10).length, kernel: rows.filter((x) => x.kernelGrowth < 5).length };
  console.log(
    `\nof ${RUNS} runs: the loop grew more than tenfold in ${held.loop} (×${range(rows.map((x) => x.loopGrowth))}), ` +
      `the kernel less than fivefold in ${held.kernel} (×${range(rows.map((x) => x.kernelGrowth))}); ` +
      `1-minute load ${range(rows.map((x) => x.load))} at the runs' starts`,
  );
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}; command: node bench/notebook-cost.js --runs ${RUNS}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
