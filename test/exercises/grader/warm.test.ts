/**
 * The copy's warm grader (src/grader/warm/): the first grade starts it, later ones reuse it, and it
 * grades exactly as a fresh grader does — the reference solutions full marks, a stub "not started",
 * an edit seen at once — until it is stopped or the copy is rebuilt. Its socket lives in a folder of
 * this test's own. Timings are in bench/grade-loop.js, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { projectRoot } from "../../../src/grader/paths";
import { gradeWarm, stopWarm } from "../../../src/grader/warm/client";
import { warmPlace } from "../../../src/grader/warm/place";
import { EXERCISES } from "../../../src/grader/manifest";
import type { GradeReport } from "../../../src/grader/scoring";
import { hang } from "../../helpers/hang";

const root = projectRoot();
let tmp: string;
const env = process.env;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-warm-test-"));
  env.D2L_GRADE_SOCKET_DIR = path.join(tmp, "sockets");
});

afterAll(async () => {
  await stopWarm(root);
  delete env.D2L_GRADE_SOCKET_DIR;
  fs.rmSync(tmp, { recursive: true, force: true });
});

const ids = EXERCISES.map((e) => e.id);
const cold = (dir: string): GradeReport =>
  JSON.parse(spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), "--target", dir, "--json", "--no-write", "--no-typecheck", "--no-warm"], { cwd: root, encoding: "utf8", env: { ...env, GRADE_TARGET: "" } }).stdout);
const summary = (r: GradeReport) => r.exercises.map((e) => ({ id: e.id, score: e.score, status: e.status, parts: e.parts.map((p) => [p.key, p.status, p.output.en.split("\n")[0]]) }));

describe("the warm grader", () => {
  it("grades as a fresh grader does, and sees an edit without restarting", async () => {
    const work = path.join(tmp, "student");
    fs.cpSync(path.join(root, "exercises"), work, { recursive: true });
    const first = await gradeWarm({ target: work, display: "exercises", exercises: ids, typecheck: true });
    expect(first.score).toBe(0);
    expect(first.exercises.every((e) => e.status === "not started")).toBe(true);
    expect(first.typecheck).toEqual({ errors: {} });
    const { socket } = warmPlace(root);
    expect(fs.existsSync(socket)).toBe(true);

    // The student solves min-pool and saves: the next grade sees it.
    fs.copyFileSync(path.join(root, "solutions", "min-pool.ts"), path.join(work, "min-pool.ts"));
    fs.appendFileSync(path.join(work, "min-pool.ts"), "\nconst oops: string = 42;\n");
    const second = await gradeWarm({ target: work, display: "exercises", exercises: ["min-pool"], typecheck: true });
    expect(second.exercises.map((e) => [e.id, e.score, e.max])).toEqual([["min-pool", 10, 10]]);
    expect(JSON.stringify(second.typecheck)).toMatch(/min-pool\.ts:\d+:7 error TS2322/);

    // The same report as a fresh grader gives, part by part.
    const solutions = path.join(root, "solutions");
    const warm = await gradeWarm({ target: solutions, display: "solutions", exercises: ids, typecheck: false });
    expect(summary(warm)).toEqual(summary(cold(solutions)));
    expect(warm.score).toBe(warm.max);
    expect(summary(first)).toEqual(summary(cold(path.join(root, "exercises"))));
  }, hang(900_000));

  it("stops when asked, and leaves no socket behind", async () => {
    const { socket } = warmPlace(root);
    await stopWarm(root);
    for (let i = 0; i < 100 && fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(socket)).toBe(false);
  }, hang(120_000));
});
