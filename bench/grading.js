#!/usr/bin/env node
/**
 * Benchmark of batch grading (issue 5): N generated submissions graded with `--jobs J`.
 *
 *   npm run bench:grading                       # 100 submissions, --jobs 2 (the setting)
 *   npm run bench:grading -- --students 20 --jobs 1 --keep
 *
 * The class is generated from the reference solutions and the stubs, deterministically: a third of
 * the students solve everything, others leave exercises out (a missing file), keep stubs, or carry
 * one of a few typical bugs (a mutation of the reference: a sign, a floor, a missing option) — so
 * the grader meets passing, failing and shrinking property tests, as in a real class. No hostile
 * code here (see test/instructor/ for that): this measures an ordinary class.
 *
 * Prints the wall-clock time of `node dist/grader/cli.js --submissions DIR --out OUT --jobs J`, the
 * time per submission, and checks every output file is there.
 */
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const students = Number(opt("students", 100));
const jobs = Number(opt("jobs", 2));
const keep = args.includes("--keep");

const exercises = fs.readdirSync(path.join(root, "solutions")).filter((f) => f.endsWith(".ts")).sort();
const read = (dir, f) => fs.readFileSync(path.join(root, dir, f), "utf8");

/** Typical bugs, as text edits of the reference solution (applied only where the text occurs). */
const MUTATIONS = [
  ["min-pool.ts", "F.maxPool2d(X.neg(),", "F.maxPool2d(X,"],
  ["pooling-cost.ts", "Math.floor", "Math.ceil"],
  ["avg-pool-as-conv.ts", "options.stride ?? kernelSize", "1"],
  ["max-pool-as-conv.ts", "Math.max(h0, 0)", "h0"],
  ["softmax-pool.ts", "beta", "1"],
  ["max-vs-avg.ts", ".abs()", ""],
  ["max-via-relu.ts", ".relu()", ""],
];

/**
 * CPU seconds of every finished descendant (the grader, its spec runner, vitest's workers, each
 * sandbox, the type checker): Linux adds a child's times to its parent's when it is waited for.
 * The wall time varies with the machine; this says how much work the grading was.
 */
function childrenCpu() {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    const tick = 100; // USER_HZ on Linux
    return { user: Number(fields[13]) / tick, sys: Number(fields[14]) / tick };
  } catch {
    return null; // not Linux
  }
}

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);

function generate(dir) {
  for (let s = 0; s < students; s++) {
    const sdir = path.join(dir, `student${String(s + 1).padStart(3, "0")}`);
    fs.mkdirSync(sdir, { recursive: true });
    const kind = s % 3 === 0 ? "full" : rand() < 0.5 ? "partial" : "buggy";
    const bug = MUTATIONS[Math.floor(rand() * MUTATIONS.length)];
    for (const f of exercises) {
      let text;
      if (kind === "full") text = read("solutions", f);
      else if (kind === "partial") {
        const r = rand();
        if (r < 0.2) continue; // not attempted: no file
        text = r < 0.4 ? read("exercises", f) : read("solutions", f);
      } else {
        text = read("solutions", f);
        if (f === bug[0]) text = text.split(bug[1]).join(bug[2]);
      }
      fs.writeFileSync(path.join(sdir, f), text);
    }
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-bench-grading-"));
const subs = path.join(work, "submissions");
const out = path.join(work, "out");
generate(subs);
console.log(`${students} generated submissions in ${subs}; grading with --jobs ${jobs} on ${os.cpus().length} cores …`);
const t0 = process.hrtime.bigint();
const r = spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), "--submissions", subs, "--out", out, "--jobs", String(jobs)], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = childrenCpu();
if (r.status !== 0) {
  console.error(r.stdout);
  console.error(`the grader exited with ${r.status}`);
  process.exit(1);
}
const missing = fs.readdirSync(subs).filter((s) => !fs.existsSync(path.join(out, "students", s, "results.json")) || !fs.existsSync(path.join(out, "students", s, "feedback-full.html")));
const csv = fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
const scores = csv.slice(1).map((l) => Number(l.split(",")[1]));
const full = scores.filter((x) => x === 114).length;
console.log(r.stdout.trim().split("\n").slice(-4).join("\n"));
console.log(`\nbench:grading — ${students} submissions, --jobs ${jobs}: ${seconds.toFixed(1)} s wall (${((seconds / students) * 1000).toFixed(0)} ms per submission)`);
if (cpu) console.log(`  CPU of all the grader's processes: ${cpu.user.toFixed(1)} s user + ${cpu.sys.toFixed(1)} s system = ${(cpu.user + cpu.sys).toFixed(1)} s (${os.cpus().length} cores: ${((cpu.user + cpu.sys) / seconds).toFixed(2)} busy on average)`);
console.log(`  full marks: ${full}, mean ${(scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(1)}/114; outputs missing: ${missing.length}; report.html ${fs.existsSync(path.join(out, "report.html")) ? "written" : "MISSING"}`);
console.log(`  aim (issue 18): under 40 s for 100 with --jobs 2 → ${students === 100 && jobs === 2 ? (seconds < 40 ? "met" : "NOT met") : "n/a (other settings)"}`);
if (keep) console.log(`  kept: ${work}`);
else fs.rmSync(work, { recursive: true, force: true });
if (missing.length || csv.length !== students + 1) process.exit(1);
