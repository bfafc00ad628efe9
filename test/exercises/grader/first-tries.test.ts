/**
 * Typical first tries (./first-tries.ts), graded in one batch with the real grader
 * (`node dist/grader/cli.js --submissions DIR --out OUT`): each loses exactly the visible parts its
 * mistake breaks, with feedback that names the mistake and gives no answer away; the reference
 * solutions keep full marks.
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES, exerciseById, maxScore } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";
import { FIRST_TRIES } from "./first-tries";

const root = projectRoot();
let tmp: string;
let out: string;
let run: { code: number | null; stdout: string; stderr: string };

interface Test {
  name: string;
  status: string;
  score: number;
  output: string;
  tags: string[];
  visibility: string;
}

const testsOf = (student: string): Test[] => (JSON.parse(fs.readFileSync(path.join(out, "students", student, "results.json"), "utf8")) as { tests: Test[] }).tests;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-first-tries-"));
  const subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  for (const t of FIRST_TRIES) {
    fs.mkdirSync(path.join(subs, t.name), { recursive: true });
    fs.writeFileSync(path.join(subs, t.name, `${t.exercise}.ts`), t.source);
  }
  fs.mkdirSync(path.join(subs, "reference"));
  for (const e of EXERCISES) fs.copyFileSync(path.join(root, "solutions", `${e.id}.ts`), path.join(subs, "reference", `${e.id}.ts`));
  const { GRADE_TARGET: _ignored, ...env } = process.env;
  run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "dist", "grader", "cli.js"), "--submissions", subs, "--out", out, "--jobs", "2", "--no-typecheck", "--seed", "1"], { cwd: root, env: { ...env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}, hang(1_200_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("typical first tries", () => {
  it("are graded; the reference solutions keep every visible point", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const visible = testsOf("reference").filter((t) => t.visibility !== "after_published" && !t.tags.includes("typecheck"));
    expect(visible.filter((t) => t.status !== "passed").map((t) => `${t.name}: ${t.output}`)).toEqual([]);
    expect(visible.reduce((s, t) => s + t.score, 0)).toBe(100);
  });

  it.each(FIRST_TRIES.map((t) => [t.name, t] as const))("%s loses exactly its mistake's parts, with feedback that fits", (name, t) => {
    const exercise = exerciseById(t.exercise);
    const visibleParts = exercise.parts.filter((p) => !p.hidden);
    const byTitle = new Map(testsOf(name).map((x) => [x.name, x]));
    const result = (key: string) => byTitle.get(`${exercise.id}: ${visibleParts.find((p) => p.key === key)!.title.en}`)!;
    for (const key of Object.keys(t.fails)) expect(visibleParts.map((p) => p.key), `${name}: no visible part '${key}'`).toContain(key);
    const failed = visibleParts.filter((p) => result(p.key).status !== "passed").map((p) => p.key);
    const unexpected = failed.filter((k) => !(k in t.fails)).map((k) => `${k}: ${result(k).output.split("\n")[0]}`);
    expect(failed.sort(), `${name}: failed parts (unexpected: ${unexpected.join(" | ")})`).toEqual(Object.keys(t.fails).sort());
    const lost = visibleParts.filter((p) => p.key in t.fails).reduce((s, p) => s + p.points, 0);
    expect(visibleParts.reduce((s, p) => s + result(p.key).score, 0)).toBe(maxScore(exercise, false) - lost);
    for (const [key, feedback] of Object.entries(t.fails)) {
      const output = result(key).output;
      for (const re of feedback.says) expect(output, `${name}/${key} should say ${re}`).toMatch(re);
      for (const re of feedback.never ?? []) expect(output, `${name}/${key} must not say ${re}`).not.toMatch(re);
      // A hint is text: never a function's source or "undefined".
      expect(output, `${name}/${key}`).not.toMatch(/hint: (function\b|\(\w*\) =>|undefined)/);
    }
  });
});
