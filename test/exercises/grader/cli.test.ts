/**
 * The grader CLI end to end (dist/grader/cli.js in a child process, as `npm run grade` runs it):
 * the reference solutions score full marks, the untouched stubs score exactly 0, the student's run
 * leaves hidden tests out, results.json is Gradescope's format, a busy loop is stopped, and a
 * missing folder is a clear error. `npm test` builds dist/ first; run `npm run build` before running
 * this file alone.
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES, maxScore } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";
import type { GradeReport } from "../../../src/grader/grade";
import type { GradescopeResults } from "../../../src/grader/results";

const root = projectRoot();
const cli = path.join(root, "dist", "grader", "cli.js");
let tmp: string;

function run(args: string[], lang = "en_US.UTF-8"): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // No GRADE_TARGET from the project's own test run: the CLI's default must be exercises/.
    const { GRADE_TARGET: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...env, NO_COLOR: "1", LANG: lang, LC_ALL: "", LC_MESSAGES: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const allParts = EXERCISES.flatMap((e) => e.parts);

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-grader-cli-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.concurrent("grader CLI", { timeout: hang(900_000) }, () => {
  it("the reference solutions score full marks, hidden tests included; results.json is Gradescope's format", async () => {
    const out = path.join(tmp, "solutions.json");
    // A fixed grading seed: fresh cases, the same on every run (test/instructor/ tries other seeds).
    const r = await run(["--target", "solutions", "--hidden", "--seed", "20240601", "--json", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as GradeReport;
    const failed = report.exercises.flatMap((e) => e.parts.filter((p) => p.status !== "passed").map((p) => `${e.id}/${p.key}: ${p.output.en}`));
    expect(failed).toEqual([]);
    expect(report.max).toBe(EXERCISES.reduce((s, e) => s + maxScore(e, true), 0));
    expect(report.score).toBe(report.max);

    const gs = JSON.parse(fs.readFileSync(out, "utf8")) as GradescopeResults;
    expect(gs.score).toBe(report.max);
    expect(gs.max_score).toBe(report.max);
    expect(gs.tests).toHaveLength(allParts.length + 1); // + the type check (not graded)
    expect(gs.tests.at(-1)).toMatchObject({ name: "TypeScript type check (not graded)", max_score: 0, status: "passed", output: "No type errors." });
    for (const t of gs.tests) {
      expect(Object.keys(t).sort()).toEqual(["max_score", "name", "number", "output", "score", "status", "tags", "visibility"]);
      expect(t.status).toBe("passed");
      expect(t.score).toBe(t.max_score);
    }
    expect(gs.tests.filter((t) => t.visibility === "after_published")).toHaveLength(allParts.filter((p) => p.hidden).length);
    // Written answers reach the instructor through the output of their 0-point tests.
    const answer = gs.tests.find((t) => t.name.startsWith("softmax-pool: written answer"))!;
    expect(answer.output).toMatch(/Written answer:\nSoftmax pooling needs an exp/);
  });

  it("the untouched stubs score exactly 0 on every part, hidden ones included", async () => {
    const r = await run(["--target", "exercises", "--hidden", "--json", "--no-write"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as GradeReport;
    expect(report.score).toBe(0);
    expect(report.max).toBe(EXERCISES.reduce((s, e) => s + maxScore(e, true), 0));
    for (const e of report.exercises) {
      expect(e.status, e.id).toBe("not started");
      expect(e.feedback.en, e.id).toMatch(/not implemented yet \(exercises\/[\w-]+\.ts:\d+:\d+\)$/);
      expect(e.feedback.zh, e.id).toMatch(/还没有实现 \(exercises\/[\w-]+\.ts:\d+:\d+\)$/);
      for (const p of e.parts) expect(p.score, `${e.id}/${p.key}`).toBe(0);
    }
  });

  it("a student's run: progress lines, a table, the total; hidden tests neither run nor counted", async () => {
    const out = path.join(tmp, "student.json");
    const r = await run(["--exercise", "pooling-cost", "min-pool", "--out", out]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    // Each line names the exercise as the notebook numbers it (en here: pooling-cost is Exercise 4, min-pool 6).
    expect(lines.filter((l) => /^\[\d\/2\] (Exercise 4 +pooling-cost|Exercise 6 +min-pool) +0\/1[04] +not started$/.test(l))).toHaveLength(2);
    expect(r.stdout).toMatch(/^exercise +points +status +feedback$/m);
    expect(r.stdout).toMatch(/^Exercise 4 +pooling-cost +0\/14 +not started +d2lPoolingCost: not implemented yet/m);
    expect(r.stdout).toMatch(/^total +0\/24$/m);
    expect(r.stdout).toMatch(/hidden instructor tests are not run/);
    const gs = JSON.parse(fs.readFileSync(out, "utf8")) as GradescopeResults;
    expect(gs.max_score).toBe(24);
    expect(gs.tests.some((t) => t.visibility !== "visible")).toBe(false);
    expect(gs.tests.filter((t) => !t.tags.includes("typecheck")).every((t) => t.status === "failed" && t.score === 0)).toBe(true);
  });

  it("speaks the student's language: zh for a zh locale (or --lang zh), numbering exercises as the zh notebook does", async () => {
    const zh = await run(["--exercise", "5", "8", "--no-write"], "zh_CN.UTF-8");
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^练习 5 是 min-pool$/m);
    expect(zh.stdout).toMatch(/^练习 8 是 max-via-relu$/m);
    expect(zh.stdout).toMatch(/^练习 +得分 +状态 +反馈$/m);
    expect(zh.stdout).toMatch(/^练习 5 +min-pool +0\/10 +未开始 +minPool2d：还没有实现/m);
    expect(zh.stdout).toMatch(/^总分 +0\/26$/m);
    expect(zh.stdout).not.toMatch(/not started|not implemented|visible tests/);
    const en = await run(["--exercise", "5", "--no-write", "--lang", "en"], "zh_CN.UTF-8");
    expect(en.stdout).toMatch(/^exercise 5 is max-vs-avg$/m);
    const bad = await run(["--exercise", "9", "--no-write"], "zh_CN.UTF-8");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/没有练习 9；练习是：1 = avg-pool-as-conv, 2 = max-pool-as-conv/);
  });

  it("shows type errors in the terminal, and with --all every failing part (not only the first of each exercise)", async () => {
    const dir = path.join(tmp, "typed");
    fs.mkdirSync(dir);
    // min-pool right but with a type error; softmax-pool wrong in several parts.
    fs.writeFileSync(path.join(dir, "min-pool.ts"), `${fs.readFileSync(path.join(root, "solutions", "min-pool.ts"), "utf8")}\nconst r: string = 42;\n`);
    fs.writeFileSync(
      path.join(dir, "softmax-pool.ts"),
      'import { F, Tensor } from "d2l-pooling";\nexport function softmaxPool2d(X: Tensor, k: number | [number, number], o: { stride?: number | [number, number]; padding?: number | [number, number] } = {}): Tensor { return F.avgPool2d(X, k, { stride: o.stride, padding: o.padding }); }\nexport const WHY_UNPOPULAR = "";\n',
    );
    const first = await run(["--target", dir, "--exercise", "min-pool", "softmax-pool", "--no-write"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/── type errors \(not graded[^\n]*\n.*min-pool\.ts:\d+:7 error TS2322: Type 'number' is not assignable to type 'string'/);
    expect(first.stdout).toMatch(/^Exercise 6 +min-pool +(\d+)\/\1 +passed/m); // full marks: a type error costs nothing
    const more = /── softmax-pool: .* — and (\d+) more failing parts \(npm run grade -- --all shows them\)/.exec(first.stdout);
    expect(more).not.toBeNull();
    const all = await run(["--target", dir, "--exercise", "min-pool", "softmax-pool", "--no-write", "--all"]);
    const blocks = all.stdout.split("\n").filter((l) => l.startsWith("── softmax-pool: "));
    expect(blocks.length).toBe(Number(more![1]) + 2); // the first, the rest, and the unanswered written answer
    expect(all.stdout).not.toMatch(/more failing part/);
  });

  it("stops a busy loop in a student's function and still reports", async () => {
    const dir = path.join(tmp, "loop");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "min-pool.ts"), "export function minPool2d(): unknown { for (;;) {} }\n");
    const r = await run(["--target", dir, "--exercise", "min-pool", "--timeout", "4", "--json", "--no-write"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as GradeReport;
    expect(report.score).toBe(0);
    expect(report.warnings.map((w) => w.en).join("\n")).toMatch(/stopped after 4 s — is there an infinite loop\?/);
    // The call that loops is stopped when the submission's time runs out; later calls are not run.
    expect(report.exercises[0].parts[0].output.en).toMatch(/^minPool2d\(X, \[2, 2\], \{ stride: 1 \}\): stopped: the submission's time limit \(4 s for all its code\) is used up/);
    expect(report.exercises[0].parts[1].output.en).toMatch(/not run: the submission's time limit \(4 s for all its code\) is used up/);
  });

  it("a missing exercises folder or an unknown exercise is a clear error with exit code 2", async () => {
    const r = await run(["--target", path.join(tmp, "nowhere")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^grade: the exercises folder .*nowhere does not exist/);
    const u = spawnSync(process.execPath, [cli, "--exercise", "max-pool"], { cwd: root, encoding: "utf8" });
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/unknown exercise 'max-pool'; the exercises are: avg-pool-as-conv, /);
  });
});
