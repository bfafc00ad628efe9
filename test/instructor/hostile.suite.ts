/**
 * The threat model of issue 5, one hostile submission per line, graded in ONE batch with the real
 * command (`node dist/grader/cli.js --submissions DIR --out OUT --jobs 2`, default timeouts) next to
 * honest submissions. Every hostile submission is the reference solutions with exercises/min-pool.ts
 * replaced, so the other seven exercises (102 points) must be unaffected, and its min-pool score is
 * compared with what its code honestly computes:
 *
 * - an attack with a fallback ("if I can read the solution, answer right, else answer wrong") must
 *   score exactly what `twin-wrong` (the wrong answers alone) scores;
 * - an attack that stops its own code (loops, exits, memory) scores only the parts that do not call
 *   the broken function.
 *
 * Then: the project tree and the other students' output are unchanged, and no process is left.
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dist, exerciseScore, fingerprint, makeSubmission, processes, readResults, root, runNode, type Results, type Run } from "./support";
import { studentDir } from "../../src/grader/batch";

let tmp: string;
let subs: string;
let out: string;
let run: Run;
let before: { sensitive: string };
const MARK = `d2l-hostile-${process.pid}`;
const SLEEP = 987_654 + (process.pid % 1000);

/** min-pool.ts around a BODY: right/wrong implementations to choose from. */
const PRELUDE = `import { F, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";
type O = { stride?: Pair; padding?: Pair };
const right = (X: Tensor, k: Pair, o: O = {}) => F.maxPool2d(X.neg(), k, { stride: o.stride, padding: o.padding }).neg();
const wrong = (X: Tensor, k: Pair, o: O = {}) => F.maxPool2d(X, k, { stride: o.stride, padding: o.padding });
const rightIdx = (X: Tensor, k: Pair, o: O = {}) => { const [v, i] = F.maxPool2d(X.neg(), k, { stride: o.stride, padding: o.padding, returnIndices: true }); return [v.neg(), i]; };
const wrongIdx = (X: Tensor, k: Pair, o: O = {}) => F.maxPool2d(X, k, { stride: o.stride, padding: o.padding, returnIndices: true });
`;

/** Answers right only when `cheat()` returns true (evaluated at load and at each call). */
function cheater(cheat: string, extra = ""): string {
  return `${PRELUDE}${extra}
function cheat(): boolean { try { return !!(${cheat}); } catch { return false; } }
const atLoad = cheat();
export function minPool2d(X: Tensor, k: Pair, o: O = {}) { return atLoad || cheat() ? right(X, k, o) : wrong(X, k, o); }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return atLoad || cheat() ? rightIdx(X, k, o) : wrongIdx(X, k, o); }
export const NEED_MIN_POOL = atLoad ? false : true;
export const WHY_MIN_POOL = "";
`;
}

const TWIN_WRONG = `${PRELUDE}
export function minPool2d(X: Tensor, k: Pair, o: O = {}) { return wrong(X, k, o); }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return wrongIdx(X, k, o); }
export const NEED_MIN_POOL = true;
export const WHY_MIN_POOL = "";
`;

/** minPool2d is `body`; the other exports are right (indices: 2 points of 12). */
function brokenMinPool(body: string, top = ""): string {
  return `${PRELUDE}${top}
export function minPool2d(X: Tensor, k: Pair, o: O = {}): Tensor { ${body} }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return rightIdx(X, k, o); }
export const NEED_MIN_POOL = false;
export const WHY_MIN_POOL = "Min pooling is -maxpool(-x): negate, max-pool, negate.";
`;
}

const solutionFile = () => path.join(root, "solutions", "min-pool.ts");
const hiddenSpec = () => path.join(root, "test", "exercises", "hidden", "min-pool.test.ts");

/** The hostile submissions: name → min-pool.ts (or a function of the paths, for files and links). */
function hostile(): Record<string, string> {
  const sol = JSON.stringify(solutionFile());
  const hid = JSON.stringify(hiddenSpec());
  const other = JSON.stringify(path.join(subs, "honest", "min-pool.ts"));
  const otherOut = JSON.stringify(path.join(out, "students", "honest", "results.json"));
  const ownOut = JSON.stringify(path.join(out, "students", "write-anywhere", "results.json"));
  const spec = JSON.stringify(path.join(root, "test", "exercises", "min-pool.test.ts"));
  return {
    // Loops
    "loop-at-import": `${PRELUDE}for (;;) {}\nexport function minPool2d(X: Tensor, k: Pair, o: O = {}) { return right(X, k, o); }\nexport function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return rightIdx(X, k, o); }\nexport const NEED_MIN_POOL = false;\nexport const WHY_MIN_POOL = "x";\n`,
    "loop-in-call": brokenMinPool("for (;;) {}"),
    "never-resolves": brokenMinPool("return new Promise<Tensor>(() => undefined) as unknown as Tensor;"),
    // Exits
    "exit-at-import": `${PRELUDE}process.exit(0);\nexport function minPool2d(X: Tensor, k: Pair, o: O = {}) { return right(X, k, o); }\nexport function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return rightIdx(X, k, o); }\nexport const NEED_MIN_POOL = false;\nexport const WHY_MIN_POOL = "x";\n`,
    "exit-in-call": brokenMinPool("process.exitCode = 0; process.exit(0);"),
    "abort-and-kill": brokenMinPool(`try { process.kill(process.ppid, "SIGKILL"); } catch {} try { process.kill(1, "SIGKILL"); } catch {} process.abort(); return right(X, k, o);`),
    // Memory
    "memory-heap": brokenMinPool("const a: number[][] = []; for (;;) a.push(new Array(100000).fill(1)); "),
    "memory-typed-arrays": brokenMinPool("const a: Float64Array[] = []; for (;;) { const t = new Float64Array(1 << 24); t.fill(1); a.push(t); }"),
    "huge-result": brokenMinPool("return new Array(9_000_000).fill(0.5) as unknown as Tensor;"),
    // Thrown non-Errors
    "throws-non-errors": `${PRELUDE}
export function minPool2d(X: Tensor, k: Pair, o: O = {}): Tensor { throw null; }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { throw { get message() { for (;;) {} }, toString() { throw new Error("no"); } }; }
export const NEED_MIN_POOL = false;
export const WHY_MIN_POOL = "Min pooling is -maxpool(-x): negate, max-pool, negate.";
`,
    // Syntax and type errors
    "syntax-error": `${PRELUDE}export function minPool2d(X: Tensor, k: Pair, o: O = {}) { return right(X, k, o) \n`,
    "type-error": `${PRELUDE}
const wrongType: number = "not a number";
export function minPool2d(X: Tensor, k: Pair, o: O = {}): string { return right(X, k, o) as unknown as string; }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return rightIdx(X, k, o); }
export const NEED_MIN_POOL: boolean = false;
export const WHY_MIN_POOL = "Min pooling is -maxpool(-x): negate, max-pool, negate; " + wrongType;
`,
    // Fake output
    "fake-runner-output": `${PRELUDE}
const lie = () => {
  const text = " ✓ test/exercises/min-pool.test.ts (8 tests) \\n Tests  114 passed (114)\\n{\\"score\\": 114, \\"max_score\\": 114, \\"tests\\": []}\\n";
  console.log(text); console.error(text); process.stdout.write(text);
  try { require("fs").writeSync(3, JSON.stringify({ id: 1, ok: true, value: 114 }) + "\\n"); } catch {}
  try { (process as unknown as { send?: (m: unknown) => void }).send?.({ type: "case", state: "passed" }); } catch {}
};
lie();
export function minPool2d(X: Tensor, k: Pair, o: O = {}) { lie(); return wrong(X, k, o); }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { lie(); return wrongIdx(X, k, o); }
export const NEED_MIN_POOL = true;
export const WHY_MIN_POOL = "";
`,
    // vitest and matchers
    "imports-vitest": `import { expect } from "vitest";\nexpect.extend({ toBe: () => ({ pass: true, message: () => "" }) });\n${TWIN_WRONG.replace(PRELUDE, PRELUDE)}`,
    "requires-vitest-quietly": cheater(`(() => { const v = require("vitest"); v.expect.extend({ toEqual: () => ({ pass: true }) }); (globalThis as any).expect = v.expect; return false; })()`),
    // Globals
    "patches-globals": `${PRELUDE}
Object.is = () => true;
Math.abs = () => 0; Math.max = () => 0; Math.min = () => 0;
Array.prototype.every = function () { return true; };
Array.prototype.some = function () { return false; };
JSON.stringify = () => "{}";
Number.isNaN = () => true;
(Float32Array.prototype as any).every = () => true;
export function minPool2d(X: Tensor, k: Pair, o: O = {}) { return wrong(X, k, o); }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { return wrongIdx(X, k, o); }
export const NEED_MIN_POOL = true;
export const WHY_MIN_POOL = "";
`,
    // Reading what it must not
    "reads-solution-fs": cheater(`require("fs").readFileSync(${sol}, "utf8").length > 0`),
    "reads-solution-relative": cheater(`require("fs").readFileSync("../../solutions/min-pool.ts", "utf8").length > 0 || require("fs").readFileSync("solutions/min-pool.ts", "utf8").length > 0`),
    "requires-solution": cheater(`typeof require(${sol}).minPool2d === "function" || typeof require("../../solutions/min-pool").minPool2d === "function"`),
    "imports-solution": `${cheater("false")}\nimport(${sol}).then(() => { (globalThis as any).cheated = true; }, () => undefined);\n`.replace("return atLoad || cheat()", "return (globalThis as any).cheated || atLoad || cheat()"),
    "reads-hidden-tests": cheater(`require("fs").readFileSync(${hid}, "utf8").includes("hidden") || require("fs").readdirSync(${JSON.stringify(path.dirname(hiddenSpec()))}).length > 0`),
    "reads-other-student": cheater(`require("fs").readFileSync(${other}, "utf8").length > 0`),
    // Writing
    "write-anywhere": cheater(`(() => {
      const fs = require("fs"); let ok = false;
      for (const [f, t] of [[${sol}, "export const x = 1;"], [${spec}, "// gone"], [${JSON.stringify(path.join(root, "test", "exercises", `${MARK}.test.ts`))}, "x"],
                            [${otherOut}, '{"score":0}'], [${ownOut}, '{"score":114,"max_score":114}'], [${JSON.stringify(path.join(os.tmpdir(), MARK))}, "x"]]) {
        try { fs.writeFileSync(f, t); ok = true; } catch {}
        try { fs.appendFileSync(f, t); ok = true; } catch {}
      }
      try { fs.mkdirSync(${JSON.stringify(path.join(os.tmpdir(), `${MARK}-dir`))}); ok = true; } catch {}
      try { fs.rmSync(${sol}); ok = true; } catch {}
      return ok;
    })()`),
    // Processes
    "spawns-processes": cheater(`(() => {
      const cp = require("child_process"); let ok = false;
      try { cp.spawn("sleep", ["${SLEEP}"], { detached: true, stdio: "ignore" }).unref(); ok = true; } catch {}
      try { cp.execSync("sleep ${SLEEP} &"); ok = true; } catch {}
      try { cp.fork("-e", []); ok = true; } catch {}
      try { new (require("worker_threads").Worker)("setInterval(() => {}, 1000)", { eval: true }); ok = true; } catch {}
      try { (process as any).binding("spawn_sync"); ok = true; } catch {}
      setInterval(() => undefined, 1000);
      return ok;
    })()`),
    "sets-v8-flags": cheater(`(() => { require("v8").setFlagsFromString("--allow-natives-syntax"); return true; })()`),
    "reaches-network": cheater(`false`, `require("net").connect(80, "127.0.0.1").on("error", () => undefined);\n`),
    // The feedback is data, not markup
    "html-in-errors": brokenMinPool(`throw new Error("</pre><script>alert('${MARK}')</script>");`),
  };
}

/** What each hostile min-pool.ts may score: "twin" = exactly twin-wrong's score, or a number. */
const EXPECT: Record<string, "twin" | number> = {
  "loop-at-import": 0,
  "loop-in-call": 2,
  "never-resolves": 2,
  "exit-at-import": 0,
  "exit-in-call": 2,
  "abort-and-kill": 2,
  "memory-heap": 2,
  "memory-typed-arrays": 2,
  "huge-result": 2,
  "throws-non-errors": 0,
  "syntax-error": 0,
  "type-error": 12,
  "fake-runner-output": "twin",
  "imports-vitest": 0,
  "requires-vitest-quietly": "twin",
  "patches-globals": "twin",
  "reads-solution-fs": "twin",
  "reads-solution-relative": "twin",
  "requires-solution": "twin",
  "imports-solution": "twin",
  "reads-hidden-tests": "twin",
  "reads-other-student": "twin",
  "write-anywhere": "twin",
  "spawns-processes": "twin",
  "sets-v8-flags": "twin",
  "reaches-network": "twin",
  "html-in-errors": 2,
};

const results = (student: string): Results => readResults(path.join(studentDir(out, student), "results.json"));
const minPoolOf = (student: string) => exerciseScore(results(student), "min-pool");
/** The parts of the project a submission would most like to change (others may edit the rest meanwhile). */
const sensitive = () =>
  [path.join(root, "solutions"), path.join(root, "test", "exercises"), path.join(root, "exercises"), path.join(root, "src", "grader"), path.join(root, "package.json")]
    .map((d) => (fs.statSync(d).isFile() ? fingerprint(path.dirname(d), (rel) => rel !== path.basename(d)) : fingerprint(d)))
    .join(",");

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-hostile-"));
  fs.chmodSync(tmp, 0o755);
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  makeSubmission(path.join(subs, "honest"));
  makeSubmission(path.join(subs, "twin-wrong"), { "min-pool": TWIN_WRONG });
  for (const [name, source] of Object.entries(hostile())) makeSubmission(path.join(subs, name), { "min-pool": source });
  // A link to the reference solution instead of a file (e.g. from a crafted archive).
  makeSubmission(path.join(subs, "links-to-solution"), { "min-pool": null });
  fs.symlinkSync(solutionFile(), path.join(subs, "links-to-solution", "min-pool.ts"));
  // Slow but correct: every call of every exercise busy-waits 25 ms, the first of each file 3 s.
  const slow: Record<string, string> = {};
  for (const f of fs.readdirSync(path.join(root, "solutions"))) {
    slow[f.replace(/\.ts$/, "")] = `${fs.readFileSync(path.join(root, "solutions", f), "utf8")}
declare const exports: Record<string, unknown>;
let slowFirst = true;
function slowSpin(ms: number) { if (slowFirst) { slowFirst = false; ms = 3000; } const end = Date.now() + ms; while (Date.now() < end) {} }
for (const k of Object.keys(exports)) {
  const f = exports[k];
  if (typeof f === "function") exports[k] = (...a: unknown[]) => { slowSpin(25); return (f as (...a: unknown[]) => unknown)(...a); };
}
`;
  }
  makeSubmission(path.join(subs, "slow-but-correct"), slow);
  // A folder name a spreadsheet would run as a formula.
  makeSubmission(path.join(subs, "=HYPERLINK(1)"));
  before = { sensitive: sensitive() };
  // The grader's work folder (and so every sandbox's command line) lands in our own temp folder.
  fs.mkdirSync(path.join(tmp, "work"));
  run = await runNode(dist("cli.js"), ["--submissions", subs, "--out", out, "--jobs", "2"], { env: { TMPDIR: path.join(tmp, "work") } });
}, hang(1_800_000));

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), MARK), { force: true });
});

describe("hostile submissions are graded honestly", () => {
  it("grading finished: exit 0, every student has results.json and both feedback pages, grades.csv and report.html", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const s of fs.readdirSync(subs)) {
      for (const f of ["results.json", "feedback-full.html", "feedback-visible.html"]) expect(fs.existsSync(path.join(studentDir(out, s), f)), `${s}/${f}`).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n")).toHaveLength(fs.readdirSync(subs).length + 1);
  });

  it("other submissions are unaffected: the honest one scores 114/114, and every hostile one keeps its 102 points outside min-pool", () => {
    expect(results("honest").score).toBe(114);
    expect(results("honest").tests.every((t) => t.status === "passed")).toBe(true);
    for (const name of Object.keys(EXPECT)) {
      // A submission's files share one process, as in the student's own notebook: patching the
      // globals may break its own other exercises (its own loss), never lift a score.
      if (name === "patches-globals") expect(results(name).score - minPoolOf(name)).toBeLessThanOrEqual(102);
      else expect(results(name).score - minPoolOf(name), name).toBe(102);
    }
  });

  it.each(Object.entries(EXPECT))("%s: min-pool scores what its code honestly computes", (name, expected) => {
    const twin = minPoolOf("twin-wrong");
    expect(twin).toBeLessThan(12);
    expect(minPoolOf(name)).toBe(expected === "twin" ? twin : expected);
  });

  it("a slow-but-correct submission (25 ms per call, one 3 s call) gets full marks under the default timeouts", () => {
    expect(results("slow-but-correct").score).toBe(114);
  });

  it("says why: timeouts, exits, memory, syntax errors, denied reads, type errors", () => {
    const out = (s: string) => results(s).tests.filter((t) => t.tags.includes("min-pool") && t.status === "failed").map((t) => t.output).join("\n");
    expect(out("loop-at-import")).toMatch(/loading exercises\/min-pool\.ts did not finish within 10 s/);
    expect(out("loop-in-call")).toMatch(/did not finish within 10 s and was stopped — an endless loop\?/);
    expect(out("exit-in-call")).toMatch(/process\.exit\(\) is not available while grading/);
    expect(out("exit-at-import")).toMatch(/could not be loaded: Error: process\.exit\(\) is not available/);
    // Memory bombs are stopped by the memory cap or, on a machine slow to hand out memory, by the time limit.
    expect(out("memory-heap")).toMatch(/ran out of memory \(the limit is 512 MB\)|used more than 1024 MB|did not finish within/);
    expect(out("memory-typed-arrays")).toMatch(/used more than 1024 MB of memory|ran out of memory|did not finish within/);
    expect(out("huge-result")).toMatch(/too large/);
    expect(out("throws-non-errors")).toMatch(/threw thrown value: null/);
    expect(out("syntax-error")).toMatch(/could not be loaded: syntax error: min-pool\.ts:\d+:\d+/);
    expect(out("imports-vitest")).toMatch(/cannot import 'vitest' while grading/);
    const typeCheck = results("type-error").tests.find((t) => t.tags.includes("typecheck"))!;
    expect(typeCheck.status).toBe("failed");
    expect(typeCheck.output).toMatch(/min-pool\.ts:\d+:\d+ error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(typeCheck.output).toMatch(/do not cost points by themselves/);
    expect(results("honest").tests.find((t) => t.tags.includes("typecheck"))!.status).toBe("passed");
    expect(results("links-to-solution").output).toMatch(/min-pool\.ts: not graded: a symbolic link \(submit the file itself\)/);
  });

  it("a link to the reference solution is not followed: min-pool is not attempted", () => {
    expect(minPoolOf("links-to-solution")).toBe(0);
    expect(results("links-to-solution").score).toBe(102);
  });

  it("fake output and forged grader messages change nothing; the feedback escapes HTML", () => {
    expect(results("fake-runner-output").score).toBe(results("twin-wrong").score);
    const html = fs.readFileSync(path.join(studentDir(out, "html-in-errors"), "feedback-full.html"), "utf8");
    expect(html).not.toContain(`<script>alert('${MARK}')`);
    expect(html).toContain(`&lt;/pre&gt;&lt;script&gt;alert(&#39;${MARK}&#39;)`);
    const csv = fs.readFileSync(path.join(out, "grades.csv"), "utf8");
    expect(csv).toMatch(/^'=HYPERLINK\(1\),114,114,/m);
  });

  it("the project tree and the other students' output are unchanged; nothing was written outside", () => {
    expect(sensitive()).toBe(before.sensitive);
    expect(results("honest").score).toBe(114);
    expect(results("write-anywhere").score).toBe(results("twin-wrong").score);
    expect(fs.existsSync(path.join(os.tmpdir(), MARK))).toBe(false);
    expect(fs.existsSync(path.join(os.tmpdir(), `${MARK}-dir`))).toBe(false);
    expect(fs.existsSync(path.join(root, "test", "exercises", `${MARK}.test.ts`))).toBe(false);
  });

  it("grading always finishes: --timeout bounds all of a submission's code, --memory its memory", async () => {
    const lim = path.join(tmp, "limits");
    const loops: Record<string, string> = {};
    for (const f of fs.readdirSync(path.join(root, "solutions"))) {
      const src = fs.readFileSync(path.join(root, "solutions", f), "utf8");
      loops[f.replace(/\.ts$/, "")] = src.replace(/export function (\w+)\(([^)]*)\)([^{]*)\{/g, "export function $1($2)$3{ for (;;) {}");
    }
    makeSubmission(path.join(lim, "subs", "loops-everywhere"), loops);
    makeSubmission(path.join(lim, "subs", "typed-array-bomb"), {
      "min-pool": brokenMinPool("const a: Float64Array[] = []; for (;;) { const t = new Float64Array(1 << 22); t.fill(1); a.push(t); }"),
    });
    makeSubmission(path.join(lim, "subs", "honest"));
    const r = await runNode(dist("cli.js"), ["--submissions", path.join(lim, "subs"), "--out", path.join(lim, "out"), "--jobs", "2", "--timeout", "15", "--memory", "64"]);
    expect(r.code, r.stderr).toBe(0);
    const res = (s: string) => readResults(path.join(studentDir(path.join(lim, "out"), s), "results.json"));
    const loopsResult = res("loops-everywhere");
    expect(loopsResult.output).toMatch(/warning: the code was stopped after 15 s — is there an infinite loop\?/);
    // Every part that calls a function scores 0 (a constant, read before any call, may still be right).
    expect(loopsResult.tests.filter((t) => t.max_score > 0 && !t.name.includes("NEED_MIN_POOL")).every((t) => t.score === 0)).toBe(true);
    const bomb = res("typed-array-bomb");
    expect(exerciseScore(bomb, "min-pool")).toBe(2); // minPool2dWithIndices is right: "indices"
    expect(bomb.tests.find((t) => t.tags.includes("min-pool"))!.output).toMatch(/used more than 128 MB of memory and was stopped \(the limit is 64 MB of heap\)/);
    expect(res("honest").score).toBe(114);
  }, hang(1_800_000));

  it("no process started for a submission survives its grading; the work folder is removed", () => {
    const left = processes().filter((p) => p.cmdline.includes(String(SLEEP)) || p.cmdline.includes(tmp));
    expect(left).toEqual([]);
    expect(fs.readdirSync(path.join(tmp, "work"))).toEqual([]);
  });
});
