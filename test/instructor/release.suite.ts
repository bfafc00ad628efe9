/**
 * `npm run release -- --out DIR`: the student copy holds no solution code and no hidden test, and
 * its grader works without them (expected values recorded from the visible specs only).
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES } from "../../src/grader/manifest";
import { STUDENT_README, leaks, listFiles, recordExpected } from "../../src/grader/release";
import { npmCommands, relativeLinks } from "../tooling/markdown";
import { dist, root, runNode, runProgram, type Run } from "./support";
import { points, readWorkflow, reporterInput, runSteps } from "../helpers/classroom-steps";

let tmp: string;
let rel: string;
let made: Run;

/** node_modules for a copy without a network: links to ours, except the project's link to itself. */
function linkNodeModules(dir: string): void {
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const name of fs.readdirSync(path.join(root, "node_modules"))) {
    if (name === "d2l-pooling") continue;
    fs.symlinkSync(path.join(root, "node_modules", name), path.join(dir, "node_modules", name));
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-release-"));
  rel = path.join(tmp, "student-copy");
  made = await runNode(dist("release.js"), ["--out", rel]);
}, hang(1_800_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run release", () => {
  it("writes the student copy: notebooks, src, stubs, public tests, the grader", () => {
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Checked: no solutions\/, no hidden tests, no line of solution code/);
    const files = listFiles(rel);
    for (const f of ["notebooks/zh/pooling.ipynb", "notebooks/en/pooling.ipynb", "src/index.ts", "src/grader/cli.ts", "src/grader/sandbox/child.ts", "exercises/min-pool.ts", "test/unit/repr.test.ts", "test/exercises/min-pool.test.ts", "src/grader/spec/harness.ts", "package.json", "package-lock.json", "README.md"]) {
      expect(files, f).toContain(f);
    }
    for (const e of EXERCISES) expect(fs.readFileSync(path.join(rel, "exercises", `${e.id}.ts`), "utf8")).toBe(fs.readFileSync(path.join(root, "exercises", `${e.id}.ts`), "utf8"));
  });

  it("holds nothing of solutions/ or the hidden tests: no such path, no hidden part in the manifest, no line of solution code", () => {
    const files = listFiles(rel);
    expect(files.filter((f) => /^solutions\/|\/hidden\/|^test\/exercises\/grader\/|^test\/instructor\/|^bench\//.test(f))).toEqual([]);
    const manifest = fs.readFileSync(path.join(rel, "src/grader/manifest.ts"), "utf8");
    for (const e of EXERCISES) for (const p of e.parts.filter((x) => x.hidden)) expect(manifest).not.toContain(p.key);
    expect(leaks(rel, root)).toEqual([]);
    // The check is real: a planted solution file is found.
    const planted = path.join(tmp, "planted");
    fs.cpSync(rel, planted, { recursive: true });
    fs.copyFileSync(path.join(root, "solutions", "softmax-pool.ts"), path.join(planted, "src", "helper.ts"));
    expect(leaks(planted, root).some((l) => l.startsWith("src/helper.ts: holds a line of solutions/softmax-pool.ts"))).toBe(true);
  });

  it("its expected values come from the visible tests only: nothing a hidden test asks is in them", async () => {
    const released = new Set<string>();
    for (const f of fs.readdirSync(path.join(rel, "test/exercises/expected"))) {
      const t = JSON.parse(fs.readFileSync(path.join(rel, "test/exercises/expected", f), "utf8")) as { calls: Record<string, Record<string, unknown>> };
      for (const calls of Object.values(t.calls)) for (const k of Object.keys(calls)) released.add(k);
    }
    expect(released.size).toBeGreaterThan(50);
    const hidden = await recordExpected("hidden");
    const hiddenKeys = [...hidden.values()].flatMap((t) => Object.values(t.calls).flatMap((c) => Object.keys(c)));
    expect(hiddenKeys.length).toBeGreaterThan(0);
    expect(hiddenKeys.filter((k) => released.has(k))).toEqual([]);
  });

  it("its grader works without solutions: the stubs score 0/100, the reference answers 100/100", async () => {
    linkNodeModules(rel);
    const build = await runProgram("npm", ["run", "build", "--silent"], { cwd: rel });
    expect(build.code, build.stderr).toBe(0);
    const stubs = await runNode(path.join(rel, "dist/grader/cli.js"), ["--json", "--no-write"], { cwd: rel });
    expect(stubs.code, stubs.stderr).toBe(0);
    const s = JSON.parse(stubs.stdout) as { score: number; max: number; exercises: { status: string }[] };
    expect([s.score, s.max]).toEqual([0, 100]);
    expect(s.exercises.every((e) => e.status === "not started")).toBe(true);
    const answers = path.join(tmp, "answers");
    fs.mkdirSync(answers);
    for (const e of EXERCISES) fs.copyFileSync(path.join(root, "solutions", `${e.id}.ts`), path.join(answers, `${e.id}.ts`));
    const full = await runNode(path.join(rel, "dist/grader/cli.js"), ["--target", answers, "--json", "--no-write"], { cwd: rel });
    expect(full.code, full.stderr).toBe(0);
    const f = JSON.parse(full.stdout) as { score: number; max: number };
    expect([f.score, f.max]).toEqual([100, 100]);
    // A wrong answer is still explained with a (recorded) expected value and a counterexample.
    fs.writeFileSync(path.join(answers, "min-pool.ts"), fs.readFileSync(path.join(root, "solutions", "min-pool.ts"), "utf8").replace("F.maxPool2d(X.neg(),", "F.maxPool2d(X,"));
    const wrong = await runNode(path.join(rel, "dist/grader/cli.js"), ["--target", answers, "--exercise", "min-pool", "--json", "--no-write"], { cwd: rel });
    const w = JSON.parse(wrong.stdout) as { exercises: { parts: { key: string; status: string; output: { zh: string; en: string } }[] }[] };
    const random = w.exercises[0].parts.find((p) => p.key === "random")!;
    expect(random.status).toBe("failed");
    expect(random.output.en).toMatch(/^minPool2d\(X, .*wrong values/);
    expect(random.output.zh).toMatch(/^minPool2d\(X, .*数值不对/);
    expect(random.output.en).not.toMatch(/grader problem/);
    // The student's manifest has no hidden parts: --hidden finds nothing more to run.
    const hidden = await runNode(path.join(rel, "dist/grader/cli.js"), ["--hidden", "--json", "--no-write"], { cwd: rel });
    expect(hidden.code, hidden.stderr).toBe(0);
    expect((JSON.parse(hidden.stdout) as { max: number }).max).toBe(100);
  }, hang(1_800_000));

  it("its GitHub Classroom workflow runs there as GitHub runs it: Classroom gets the points npm run grade gives", async () => {
    // After the test above: the copy is built; answers/ holds the reference solutions, min-pool broken.
    const cli = await runNode(path.join(rel, "dist/grader/cli.js"), ["--target", path.join(tmp, "answers"), "--json", "--no-write", "--no-typecheck"], { cwd: rel });
    const score = (JSON.parse(cli.stdout) as { score: number }).score;
    expect(score).toBeLessThan(100);
    const wf = readWorkflow(fs.readFileSync(path.join(rel, ".github/workflows/classroom.yml"), "utf8"));
    const reporter = wf.jobs["run-autograding-tests"].steps.find((s) => s.uses?.startsWith("classroom-resources/autograding-grading-reporter@"))!;
    const run = runSteps(wf, rel, tmp, { GRADE_TARGET: path.join(tmp, "answers") });
    expect(run.failures).toEqual([]);
    const input = reporterInput(reporter, run.outputs);
    expect(input.every((i) => i.results)).toBe(true);
    const p = points(input);
    expect(`Points ${p.total}/${p.max}`).toBe(`Points ${score}/100`);
    expect(p.printed).toBe(p.total);
    expect(run.summary).toContain(`| **total 总分** | **${score}/100** | | |`);
  }, hang(1_800_000));

  it("its README is the students': only npm scripts the copy has, which run there, and links that resolve in it", async () => {
    const text = fs.readFileSync(path.join(rel, "README.md"), "utf8");
    expect(text).toBe(fs.readFileSync(path.join(root, STUDENT_README), "utf8"));
    const scripts = Object.keys((JSON.parse(fs.readFileSync(path.join(rel, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);
    for (const n of npmCommands(text)) if (n !== "ci") expect(scripts, `npm ${n}`).toContain(n);
    const links = relativeLinks(text);
    expect(links.length).toBeGreaterThan(8);
    for (const l of links) expect(fs.existsSync(path.join(rel, l)), l).toBe(true);
    // The commands it gives, run in the copy (node_modules linked and built by the test above):
    // `npm run grade -- --exercise …` and the type check of `npm test`. (`npm start` opens Jupyter and
    // `npm test` runs the notebooks on the kernel: their scripts are checked above, not run here.)
    const grade = await runProgram("npm", ["run", "grade", "--silent", "--", "--exercise", "min-pool", "--no-write"], { cwd: rel, env: { NO_COLOR: "1" } });
    expect(grade.code, grade.stderr).toBe(0);
    expect(grade.stdout).toMatch(/total +0\/10/);
    const typecheck = await runProgram("npm", ["run", "typecheck", "--silent"], { cwd: rel });
    expect(typecheck.code, typecheck.stdout + typecheck.stderr).toBe(0);
  }, hang(1_800_000));

  it("refuses a folder that is not empty", async () => {
    const r = await runNode(dist("release.js"), ["--out", rel]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and is not empty/);
  });
});
