/**
 * A GitHub Classroom workflow run here as GitHub runs it: every `run:` step (npm ci aside: the tests
 * run where the project is installed) in bash from the repository, with the variables GitHub sets;
 * then the reporter's arithmetic (classroom-resources/autograding-grading-reporter@v1, read from its
 * source): each runner's ID_RESULTS env is its step output, base64 JSON; Classroom gets
 * `Points <sum of the tests' scores>/<sum of max_score>`; its printed table gives each runner
 * passed tests / tests × max_score.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export interface Step {
  name: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
export interface Workflow {
  on: string[];
  permissions: Record<string, string>;
  jobs: Record<string, { if: string; steps: Step[] }>;
}
export interface RunnerResult {
  version: number;
  status: string;
  max_score: number;
  tests: { name: string; status: string; score: number; message: string }[];
}

export const readWorkflow = (yamlText: string) => parse(yamlText) as Workflow;

export function runSteps(wf: Workflow, repo: string, scratch: string, extraEnv: NodeJS.ProcessEnv = {}): { outputs: Record<string, string>; summary: string; stdout: string; failures: string[] } {
  const dir = fs.mkdtempSync(path.join(scratch, "run-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: repo,
    GITHUB_REPOSITORY: "course/pooling-ann",
    GITHUB_RUN_ID: "1234567890",
    GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
    GITHUB_ACTOR: "ann",
    GITHUB_OUTPUT: path.join(dir, "output"),
    GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  let stdout = "";
  const failures: string[] = [];
  for (const step of wf.jobs["run-autograding-tests"].steps) {
    if (!step.run || /^npm ci\b/.test(step.run)) continue;
    const r = spawnSync("bash", ["-e", "-c", step.run], { cwd: repo, env, encoding: "utf8" });
    if (r.status !== 0) failures.push(`${step.name}: exit ${r.status}: ${r.stderr}`);
    stdout += r.stdout;
  }
  const outputs: Record<string, string> = {};
  if (fs.existsSync(env.GITHUB_OUTPUT!)) for (const line of fs.readFileSync(env.GITHUB_OUTPUT!, "utf8").split("\n")) if (line) outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  const summary = fs.existsSync(env.GITHUB_STEP_SUMMARY!) ? fs.readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8") : "";
  return { outputs, summary, stdout, failures };
}

/** What the reporter step reads: each runner's results, through the workflow's `${{ steps.grade.outputs.X }}`. */
export function reporterInput(reporter: Step, outputs: Record<string, string>): { runner: string; results: RunnerResult | null }[] {
  return String(reporter.with!.runners)
    .split(",")
    .map((runner) => {
      const expr = reporter.env?.[`${runner.trim().toUpperCase()}_RESULTS`] ?? "";
      const m = /^\$\{\{ steps\.grade\.outputs\.(\w+) \}\}$/.exec(expr);
      const encoded = m ? outputs[m[1]] : undefined;
      return { runner, results: encoded ? (JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as RunnerResult) : null };
    });
}

export function points(input: { results: RunnerResult | null }[]): { total: number; max: number; printed: number } {
  const rs = input.map((i) => i.results).filter((r): r is RunnerResult => !!r);
  return {
    total: rs.reduce((s, r) => s + (r.max_score ? r.tests.reduce((t, x) => t + x.score, 0) : 0), 0),
    max: rs.reduce((s, r) => s + (r.max_score || 0), 0),
    printed: rs.reduce((s, r) => s + (r.tests.filter((t) => t.status === "pass").length / r.tests.length) * r.max_score, 0),
  };
}
