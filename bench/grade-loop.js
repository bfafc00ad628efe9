#!/usr/bin/env node
// `npm run bench:grade-loop`: the student's loop — save an exercise file, get the feedback — timed
// from the moment the file is saved to the moment the feedback is printed, for one exercise and
// for all eight, through the terminal (`npm run grade`, what a student types) and the notebook
// (`showGrade()` in a kernel-like Node process):
//   cold   a fresh grader (--no-warm): what every run cost before the warm grader
//   first  the first run with the warm grader: it starts it
//   warm   later runs: the warm grader answers
// The student's files are a copy in a temp folder (--target), edited between runs (a real change
// of the file the run grades). Median and range of --runs runs (default 5); nothing is asserted.
//
//   node bench/grade-loop.js [--runs 5] [--only terminal|notebook]
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "5"));
const ONLY = option("--only", null);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-grade-loop-"));
const target = path.join(tmp, "exercises");
fs.cpSync(path.join(ROOT, "exercises"), target, { recursive: true });
// This bench's own warm grader (not the one a student of this checkout may have running).
const env = { ...process.env, D2L_GRADE_SOCKET_DIR: path.join(tmp, "sockets"), D2L_GRADE_WARM: "1", NO_COLOR: "1", LANG: "zh_CN.UTF-8" };
process.env.D2L_GRADE_SOCKET_DIR = env.D2L_GRADE_SOCKET_DIR; // stopWarm below stops this one
const { stopWarm } = require(path.join(ROOT, "dist", "grader", "warm", "client.js"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => (ms / 1000).toFixed(2);

let edits = 0;
/** Saves a changed min-pool.ts (a comment that differs each time): the edit the loop starts with. */
function edit() {
  const file = path.join(target, "min-pool.ts");
  fs.writeFileSync(file, `${fs.readFileSync(path.join(ROOT, "solutions", "min-pool.ts"), "utf8")}\n// edit ${++edits}\n`);
}

function terminal(exercises, extra = []) {
  edit();
  const started = Date.now();
  const r = spawnSync("npm", ["run", "grade", "--silent", "--", "--target", target, "--no-write", ...(exercises ? ["--exercise", ...exercises] : []), ...extra], { cwd: ROOT, env, encoding: "utf8" });
  const ms = Date.now() - started;
  if (r.status !== 0 || !/总分/.test(r.stdout)) throw new Error(`npm run grade failed:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

function notebook(exercises) {
  edit();
  const script = `require(${JSON.stringify(path.join(ROOT, "dist", "grader", "notebook.js"))}).showGrade({ lang: "zh", target: ${JSON.stringify(target)}${exercises ? `, exercises: ${JSON.stringify(exercises)}` : ""} }).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  const started = Date.now();
  const r = spawnSync(process.execPath, ["-e", script], { cwd: path.join(ROOT, "notebooks", "zh"), env, encoding: "utf8" });
  const ms = Date.now() - started;
  if (r.status !== 0) throw new Error(`showGrade failed:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

function row(label, times) {
  console.log(`${label.padEnd(58)} median ${sec(median(times)).padStart(6)} s   range ${sec(Math.min(...times))}–${sec(Math.max(...times))} s   (${times.length} runs)`);
}

async function main() {
  console.log(`bench:grade-loop — ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, ${RUNS} runs each`);
  // Nothing stale: the loop measures grading, not the first build.
  spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-if-stale.js")], { cwd: ROOT, stdio: "inherit" });
  const cases = [
    ["one exercise (min-pool)", ["min-pool"]],
    ["all eight exercises", null],
  ];
  try {
    for (const [label, exercises] of cases) {
      if (ONLY !== "notebook") {
        row(`terminal, cold (--no-warm): ${label}`, Array.from({ length: RUNS }, () => terminal(exercises, ["--no-warm"])));
        await stopWarm(ROOT);
        row(`terminal, first (starts the warm grader): ${label}`, [terminal(exercises)]);
        row(`terminal, warm: ${label}`, Array.from({ length: RUNS }, () => terminal(exercises)));
      }
      if (ONLY !== "terminal") {
        row(`notebook showGrade(), warm: ${label}`, Array.from({ length: RUNS }, () => notebook(exercises)));
      }
    }
  } finally {
    await stopWarm(ROOT);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`load after: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
