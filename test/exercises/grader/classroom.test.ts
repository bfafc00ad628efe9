/**
 * The GitHub Classroom workflow of the student copy (src/grader/classroom-workflow.ts): its shape as
 * GitHub Classroom reads it, then its steps run here as GitHub runs them, and the reporter's
 * arithmetic done on what they wrote (test/helpers/classroom-steps.ts). The released copy's own
 * workflow is run in test/instructor/release.suite.ts.
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { classroomWorkflow, REPORTER } from "../../../src/grader/classroom-workflow";
import { classroomRunners } from "../../../src/grader/classroom";
import { projectRoot } from "../../../src/grader/paths";
import { EXERCISES } from "../../../src/grader/manifest";
import { points, readWorkflow, reporterInput, runSteps } from "../../helpers/classroom-steps";

const root = projectRoot();
const workflow = readWorkflow(classroomWorkflow());
const job = workflow.jobs["run-autograding-tests"];
const reporter = job.steps.find((s) => s.uses === REPORTER)!;
let tmp: string;

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
    const { outputs, summary, stdout, failures } = runSteps(workflow, root, tmp, { GRADE_TARGET: "solutions" });
    expect(failures).toEqual([]);
    const p = points(reporterInput(reporter, outputs));
    expect(`Points ${p.total}/${p.max}`).toBe("Points 100/100");
    expect(p.printed).toBe(p.total);
    expect(summary).toContain("| **total 总分** | **100/100** | | |");
    expect(summary).toContain("| min-pool | 10/10 | passed |  |");
    expect(stdout).toMatch(/total\s+100\/100/);
  }, hang(600_000));

  it("on the stubs: Points 0/100, every runner failed with the part's first line of feedback", () => {
    const { outputs, summary, failures } = runSteps(workflow, root, tmp, { GRADE_TARGET: "exercises" });
    expect(failures).toEqual([]);
    const input = reporterInput(reporter, outputs);
    const p = points(input);
    expect(`Points ${p.total}/${p.max}`).toBe("Points 0/100");
    expect(p.printed).toBe(0);
    for (const { results } of input) {
      expect(results!.status).toBe("fail");
      expect(results!.tests[0].message).toMatch(/not implemented yet|no written answer/);
    }
    expect(summary).toContain("| **total 总分** | **0/100** | | |");
  }, hang(600_000));
});
