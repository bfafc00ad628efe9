/**
 * Issue 9: one student can never break a class's grading. Each row of the issue's table is a
 * hostile submission, all graded in ONE batch next to honest ones with the real command
 * (`node dist/grader/cli.js --submissions DIR --out OUT --jobs 2`):
 *
 * - written answers of 30 million "&" / "<" (the feedback writer's string limit);
 * - two folders with 56 files of 1 MB of junk each; one with 100 000 empty .ts files with long names;
 * - 64 files of ~1 MB of valid TypeScript; a file that makes the type checker run out of memory;
 * - `declare /* x *\/ global { ... }` and other augmentations in an extra file (an honest student's
 *   type check must not change), and an import of another student's file;
 * - folders named report.html and grades.csv;
 * - terminal escapes in a folder name and in a thrown message;
 * - chains of crypto.pbkdf2 (the libuv thread pool: more than one core).
 *
 * Then: honest ones get full marks and clean type checks; the batch exits 0 with grades.csv and
 * report.html; no student's output is over its cap; each hostile one scores what its honest work
 * deserves; no process of the grading survives it; the terminal output holds no raw escape; and a
 * grader killed with SIGKILL leaves no process and no work folder behind.
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OUTPUT_CAP_BYTES } from "../../src/grader/gradebook/publish";
import { dist, exerciseScore, gradingProcesses, makeSubmission, readResults, root, runNode, watchSandboxCpu, type Results, type Run } from "./support";
import { studentDir } from "../../src/grader/batch";

let tmp: string;
let subs: string;
let out: string;
let run: Run;
let sandboxCpu = 0;

const ESCAPES = "\x1b]0;pwned title\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[8mhidden";
const ESCAPED_NAME = `escape${ESCAPES}`;
/** Raw control characters other than newline and tab: what must never reach the terminal. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const solution = (name: string) => fs.readFileSync(path.join(root, "solutions", `${name}.ts`), "utf8");

/** Every written-answer constant of the reference solutions replaced by a 30-million-character string of `c`. */
function hugeAnswers(c: string): Record<string, string> {
  const replace: Record<string, string> = {};
  for (const name of ["max-pool-not-linear", "max-vs-avg", "min-pool", "softmax-pool"]) {
    replace[name] = solution(name).replace(/export const (WHY_\w+)(: string)? =\s[\s\S]*?;\n/g, `export const $1 = ${JSON.stringify(c)}.repeat(30_000_000);\n`);
    if (!/\.repeat\(30_000_000\)/.test(replace[name])) throw new Error(`no written answer replaced in ${name}`);
  }
  return replace;
}

/** A type the checker needs gigabytes for (a mapped type of mapped types over a 2 500-member union). */
function typeBomb(n = 2500): string {
  let s = `type U = ${Array.from({ length: n }, (_, i) => `"k${i}"`).join(" | ")};\ntype M = { [K in U]: { [J in U]: [K, J] } };\nexport const bomb = (m: M) => {\n`;
  for (let i = 0; i < n; i++) s += `  const a${i}: M["k${i}"] = m["k${(i + 1) % n}"];\n`;
  return `${s}};\n`;
}

/** min-pool's right answer, after chains of pbkdf2 that would keep the libuv thread pool (4 threads) busy. */
const PBKDF2 = `import { F, Tensor } from "d2l-pooling";
import type { Pair } from "d2l-pooling";
type O = { stride?: Pair; padding?: Pair };
let burnt = false;
async function burn(): Promise<void> {
  if (burnt) return;
  burnt = true;
  let crypto: { pbkdf2(p: string, s: string, i: number, l: number, d: string, cb: () => void): void } | null = null;
  try { crypto = require("crypto"); } catch { return; }
  const end = Date.now() + 4000;
  const chain = (): Promise<void> => new Promise((r) => crypto!.pbkdf2("x", "y", 100_000, 64, "sha512", () => r())).then(() => (Date.now() < end ? chain() : undefined));
  await Promise.all(Array.from({ length: 8 }, chain));
}
export async function minPool2d(X: Tensor, k: Pair, o: O = {}) { await burn(); return F.maxPool2d(X.neg(), k, { stride: o.stride, padding: o.padding }).neg(); }
export function minPool2dWithIndices(X: Tensor, k: Pair, o: O = {}) { const [v, i] = F.maxPool2d(X.neg(), k, { stride: o.stride, padding: o.padding, returnIndices: true }); return [v.neg(), i]; }
export const NEED_MIN_POOL = false;
export const WHY_MIN_POOL = "Min pooling is -maxpool(-x): negate, max-pool, negate.";
`;

/** Every one of these did all the work right: full marks. [label, folder] */
const FULL_MARKS = [
  "honest-1",
  "honest-2",
  "answers-amp",
  "answers-lt",
  "junk-files-1",
  "junk-files-2",
  "many-empty-files",
  "big-valid-ts",
  "type-check-bomb",
  "augments-types",
  "report.html",
  "grades.csv",
  "pbkdf2-chains",
].map((s) => [s, s]);
// The test's own name must not carry the escapes to the terminal either.
FULL_MARKS.push(["a folder name with terminal escapes", ESCAPED_NAME]);

const results = (student: string): Results => readResults(path.join(studentDir(out, student), "results.json"));
const typeCheckOf = (student: string) => results(student).tests.find((t) => t.tags.includes("typecheck"))!;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-robust-"));
  fs.chmodSync(tmp, 0o755);
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  makeSubmission(path.join(subs, "honest-1"));
  makeSubmission(path.join(subs, "honest-2"));
  makeSubmission(path.join(subs, "answers-amp"), hugeAnswers("&"));
  makeSubmission(path.join(subs, "answers-lt"), hugeAnswers("<"));
  const junk = Buffer.alloc(1024 * 1024, 0xa7);
  for (const name of ["junk-files-1", "junk-files-2"]) {
    makeSubmission(path.join(subs, name));
    for (let i = 0; i < 56; i++) fs.writeFileSync(path.join(subs, name, `junk${String(i).padStart(2, "0")}.ts`), junk);
  }
  makeSubmission(path.join(subs, "many-empty-files"));
  const long = "a-rather-long-helper-file-name-".repeat(6);
  for (let i = 0; i < 100_000; i++) fs.writeFileSync(path.join(subs, "many-empty-files", `${long}${i}.ts`), "");
  makeSubmission(path.join(subs, "big-valid-ts"));
  const valid = `export const table${"$"} = [\n${"  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],\n".repeat(17_000)}];\n`;
  for (let i = 0; i < 64; i++) fs.writeFileSync(path.join(subs, "big-valid-ts", `table${i}.ts`), valid.replace("table$", `table${i}`));
  makeSubmission(path.join(subs, "type-check-bomb"));
  fs.writeFileSync(path.join(subs, "type-check-bomb", "bomb.ts"), typeBomb());
  makeSubmission(path.join(subs, "augments-types"));
  fs.writeFileSync(path.join(subs, "augments-types", "zz-global.ts"), "export {};\ndeclare /* x */ global { interface Math { floor(x: number): string } }\n");
  fs.writeFileSync(path.join(subs, "augments-types", "zz-module.ts"), 'export {};\ndeclare module "d2l-pooling" { interface Tensor { secret: number } }\n');
  fs.writeFileSync(path.join(subs, "augments-types", "zz-reference.ts"), '/// <reference lib="dom" />\nexport const here = 1;\n');
  fs.writeFileSync(path.join(subs, "augments-types", "zz-neighbour.ts"), 'import * as other from "../1/min-pool";\nexport const stolen: number = other as unknown as number;\n');
  makeSubmission(path.join(subs, "report.html"));
  makeSubmission(path.join(subs, "grades.csv"));
  makeSubmission(path.join(subs, ESCAPED_NAME));
  makeSubmission(path.join(subs, "escapes-in-errors"), {
    "min-pool": `export function minPool2d(): never { throw new Error(${JSON.stringify(`no${ESCAPES}`)}); }\nexport function minPool2dWithIndices(): never { throw new Error(${JSON.stringify(ESCAPES)}); }\nexport const NEED_MIN_POOL = false;\nexport const WHY_MIN_POOL = ${JSON.stringify(`an answer ${ESCAPES}`)};\n`,
  });
  makeSubmission(path.join(subs, "pbkdf2-chains"), { "min-pool": PBKDF2 });
  fs.mkdirSync(path.join(tmp, "work"));
  let pid: number | undefined;
  const cpu = watchSandboxCpu(() => pid);
  run = await runNode(dist("cli.js"), ["--submissions", subs, "--out", out, "--jobs", "2"], { env: { TMPDIR: path.join(tmp, "work") }, onStart: (p) => (pid = p) });
  sandboxCpu = cpu.stop();
}, hang(1_800_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("one student can never break a class's grading (issue 9)", () => {
  it("the batch finishes: exit 0, grades.csv and report.html, results for every student", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(fs.existsSync(path.join(out, "report.html"))).toBe(true);
    const csv = fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(fs.readdirSync(subs).length + 1);
    for (const s of fs.readdirSync(subs)) expect(fs.existsSync(path.join(studentDir(out, s), "results.json")), s).toBe(true);
  });

  it.each(FULL_MARKS)("%s did all the work right: full marks", (_label, student) => {
    const r = results(student);
    expect(r.score).toBe(r.max_score);
    expect(r.max_score).toBeGreaterThan(100);
  });

  it("a min-pool that throws (escapes in its messages) loses min-pool's calls, nothing else", () => {
    const r = results("escapes-in-errors");
    const minPool = r.tests.filter((t) => t.tags.includes("min-pool"));
    expect(r.score - exerciseScore(r, "min-pool")).toBe(r.max_score - minPool.reduce((s, t) => s + t.max_score, 0));
    for (const t of minPool.filter((x) => /minPool2d/.test(x.name))) expect(t.score, t.name).toBe(0);
  });

  it("honest students get full marks and a clean type check, whatever the others did to theirs", () => {
    for (const s of ["honest-1", "honest-2", "report.html", "grades.csv", "junk-files-1", "many-empty-files"]) {
      expect(typeCheckOf(s)).toMatchObject({ status: "passed", output: "No type errors." });
    }
  });

  it("a submission that exhausts the type checker loses only its own check; augmentations stay in their own program", () => {
    expect(typeCheckOf("type-check-bomb").output).toMatch(/^The type check did not run: the type check of these files (ran out of memory|needed more than \d+ s of CPU time)/);
    expect(typeCheckOf("augments-types").output).toMatch(/zz-neighbour\.ts:1:\d+ error TS2307: Cannot find module '\.\.\/1\/min-pool'/);
  });

  it("no output of any student passes its cap; what was not taken is said, in a few lines", () => {
    for (const s of fs.readdirSync(path.join(out, "students"))) {
      for (const f of ["results.json", "feedback-full.html", "feedback-visible.html"]) expect(fs.statSync(path.join(out, "students", s, f)).size, `${s}/${f}`).toBeLessThanOrEqual(OUTPUT_CAP_BYTES);
    }
    const answer = results("answers-amp").tests.find((t) => t.name.startsWith("softmax-pool: written answer"))!;
    expect(answer.output).toMatch(/Written answer:\n&{10000}\n… \(29990000 more characters not shown\)/);
    expect(results("junk-files-1").output).toMatch(/file not graded: junk00\.ts: not graded: larger than 256 KB/);
    const many = results("many-empty-files").output;
    expect(many).toMatch(/file not graded: …: only the first 10000 files and folders were looked at/);
    expect(many).toMatch(/file not graded: …: and \d+ more files not graded \(the first 20 are listed\)/);
    expect(many.split("\n").filter((l) => l.startsWith("file not graded: ")).length).toBeLessThanOrEqual(21);
    expect(results("big-valid-ts").output).toMatch(/file not graded: table0\.ts: not graded: larger than 256 KB/);
  });

  it("folders named like the batch's own files are graded like any other", () => {
    expect(fs.statSync(path.join(out, "report.html")).isFile()).toBe(true);
    expect(fs.statSync(path.join(out, "grades.csv")).isFile()).toBe(true);
    expect(results("report.html").score).toBe(114);
  });

  it("nothing a submission controls reaches the terminal raw: progress lines, a student's table and feedback", async () => {
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain("escape\\x1b]0;pwned title\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07\\x1b[8mhidden");
    const own = await runNode(dist("cli.js"), ["--target", path.join(subs, "escapes-in-errors"), "--exercise", "min-pool", "--no-write", "--all"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/threw Error: no\\x1b\]0;pwned title\\x07/);
    expect(own.stdout + own.stderr).not.toMatch(RAW_CONTROL);
    const named = await runNode(dist("cli.js"), ["--target", path.join(subs, ESCAPED_NAME), "--exercise", "min-pool", "--no-write"]);
    expect(named.stdout + named.stderr).not.toMatch(RAW_CONTROL);
  }, hang(1_800_000));

  it("one core per sandbox: chains of pbkdf2 do not take a second core", () => {
    expect(sandboxCpu).toBeGreaterThan(0); // the watcher saw sandboxes at work
    expect(sandboxCpu).toBeLessThan(1.15);
  });

  it("no process of the grading survives it; its work folder is removed", () => {
    expect(gradingProcesses(run.pid)).toEqual([]);
    expect(fs.readdirSync(path.join(tmp, "work"))).toEqual([]);
  });

  it("a grader killed with SIGKILL mid-run leaves no process and no work folder behind", async () => {
    const crash = path.join(tmp, "crash");
    for (const s of ["a", "b", "c"]) makeSubmission(path.join(crash, "subs", s), { "min-pool": "export function minPool2d(): unknown { for (;;) {} }\n" });
    fs.mkdirSync(path.join(crash, "work"));
    let pid = 0;
    let seen: number[] = [];
    const done = runNode(dist("cli.js"), ["--submissions", path.join(crash, "subs"), "--out", path.join(crash, "out"), "--jobs", "2"], {
      env: { TMPDIR: path.join(crash, "work") },
      onStart: (p) => (pid = p),
    });
    // Kill it once its sandboxes are at work.
    for (let i = 0; i < hang(300_000) / 100 && seen.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = gradingProcesses(pid);
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    process.kill(pid, "SIGKILL");
    await done;
    let left = seen;
    for (let i = 0; i < hang(60_000) / 100 && (left.length || fs.readdirSync(path.join(crash, "work")).length); i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = gradingProcesses(pid);
    }
    expect(left).toEqual([]);
    expect(fs.readdirSync(path.join(crash, "work"))).toEqual([]);
  }, hang(1_800_000));
});
