/**
 * The GitHub Classroom workflow of the student copy (src/grader/classroom-workflow.ts): its shape as
 * GitHub Classroom reads it, then its steps run here, each `run:` as GitHub runs it (bash, from the
 * repository, with the variables GitHub sets: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, CI, …), and the
 * reporter's arithmetic done on what they wrote — as autograding-grading-reporter@v1 does it:
 * `Points <sum of tests' scores>/<sum of max_score>` for Classroom, and, per runner, passed tests /
 * tests × max_score for its printed table.
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { classroomWorkflow, REPORTER } from "../../../src/grader/classroom-workflow";
import { classroomRunners, type RunnerResult } from "../../../src/grader/classroom";
import { projectRoot } from "../../../src/grader/paths";
import { EXERCISES } from "../../../src/grader/manifest";

interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
const root = projectRoot();
const workflow = parse(classroomWorkflow()) as { on: string[]; permissions: Record<string, string>; jobs: Record<string, { if: string; steps: Step[] }> };
const job = workflow.jobs["run-autograding-tests"];
const reporter = job.steps.find((s) => s.uses === REPORTER)!;
let tmp: string;

/** Runs the workflow's `run:` steps (npm ci aside: this project is installed) as GitHub would; returns the outputs and summary. */
function runSteps(target: string): { outputs: Record<string, string>; summary: string; stdout: string } {
  const dir = fs.mkdtempSync(path.join(tmp, "run-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: root,
    GITHUB_REPOSITORY: "course/pooling-ann",
    GITHUB_RUN_ID: "1234567890",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_ACTOR: "ann",
    GITHUB_OUTPUT: path.join(dir, "output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
    RUNNER_TEMP: dir,
    GRADE_TARGET: target,
  };
  let stdout = "";
  for (const step of job.steps) {
    if (!step.run || /^npm ci\b/.test(step.run)) continue;
    const r = spawnSync("bash", ["-e", "-c", step.run], { cwd: root, env, encoding: "utf8" });
    expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
    stdout += r.stdout;
  }
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(env.GITHUB_OUTPUT!, "utf8").split("\n")) if (line) outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  return { outputs, summary: fs.readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8"), stdout };
}

/** The reporter's reading: each runner's ID_RESULTS env, as the workflow's expressions fill it in. */
function reporterInput(outputs: Record<string, string>): { runner: string; results: RunnerResult }[] {
  return String(reporter.with!.runners)
    .split(",")
    .map((runner) => {
      const expr = reporter.env![`${runner.trim().toUpperCase()}_RESULTS`];
      const m = /^\$\{\{ steps\.grade\.outputs\.(\w+) \}\}$/.exec(expr);
      expect(m, runner).not.toBeNull();
      return { runner, results: JSON.parse(Buffer.from(outputs[m![1]] ?? "", "base64").toString("utf8")) as RunnerResult };
    });
}

const points = (input: { results: RunnerResult }[]) => ({
  total: input.reduce((s, { results }) => s + (results.max_score ? results.tests.reduce((t, x) => t + x.score, 0) : 0), 0),
  max: input.reduce((s, { results }) => s + (results.max_score || 0), 0),
  printed: input.reduce((s, { results }) => s + (results.tests.filter((t) => t.status === "pass").length / results.tests.length) * results.max_score, 0),
});

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-classroom-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the student copy's GitHub Classroom workflow", () => {
  it("is the job GitHub Classroom reads: run-autograding-tests, on push, allowed to write checks, reporter last", () => {
    expect(workflow.on).toContain("push");
    expect(workflow.permissions).toEqual({ checks: "write", actions: "read", contents: "read" });
    expect(job.if).toBe("github.actor != 'github-classroom[bot]'");
    expect(job.steps[job.steps.length - 1]).toBe(reporter);
    expect(job.steps.find((s) => s.id === "grade")!.run).toBe("node dist/grader/classroom.js");
    const runners = classroomRunners();
    expect(String(reporter.with!.runners).split(",")).toEqual(runners.map((r) => r.id));
    expect(Object.keys(reporter.env!).sort()).toEqual(runners.map((r) => `${r.id.toUpperCase()}_RESULTS`).sort());
    for (const r of runners) expect(r.id).toMatch(/^[a-z0-9]+$/); // the reporter's pattern for runner ids
    expect(runners.reduce((s, r) => s + r.points, 0)).toBe(EXERCISES.flatMap((e) => e.parts.filter((p) => !p.hidden)).reduce((s, p) => s + p.points, 0));
    expect(classroomWorkflow()).not.toMatch(/hidden/i);
  });

  it("run as GitHub runs it on the reference solutions: Points 100/100, the table in the job summary", () => {
    const { outputs, summary, stdout } = runSteps("solutions");
    const p = points(reporterInput(outputs));
    expect(`Points ${p.total}/${p.max}`).toBe("Points 100/100");
    expect(p.printed).toBe(p.total);
    expect(summary).toContain("| **total 总分** | **100/100** | | |");
    expect(summary).toContain("| min-pool | 10/10 | passed |  |");
    expect(stdout).toMatch(/total\s+100\/100/);
  }, hang(600_000));

  it("on the stubs: Points 0/100, every runner failed with the part's first line of feedback", () => {
    const { outputs, summary } = runSteps("exercises");
    const input = reporterInput(outputs);
    const p = points(input);
    expect(`Points ${p.total}/${p.max}`).toBe("Points 0/100");
    expect(p.printed).toBe(0);
    for (const { results } of input) {
      expect(results.status).toBe("fail");
      expect(results.tests[0].message).toMatch(/not implemented yet|no written answer/);
    }
    expect(summary).toContain("| **total 总分** | **0/100** | | |");
  }, hang(600_000));
});
