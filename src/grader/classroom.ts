#!/usr/bin/env node
/**
 * GitHub Classroom: the student copy's workflow (.github/workflows/classroom.yml, made by
 * ./classroom-workflow.ts at release) runs this on every push:
 *
 *   node dist/grader/classroom.js
 *
 * It grades the repository's exercises/ with the visible tests (the copy has no others), then
 * - appends the table to the job summary ($GITHUB_STEP_SUMMARY), in Markdown;
 * - writes one output per graded part to $GITHUB_OUTPUT, named as the workflow's reporter step reads
 *   them: base64 JSON `{version: 1, status, max_score, tests: [{name, status, score, message}]}`, the
 *   format of GitHub Classroom's autograding runners. Its reporter
 *   (classroom-resources/autograding-grading-reporter) sums the tests' scores over the max scores
 *   and sends "Points X/Y" to Classroom; one runner per part keeps its printed table equal to that
 *   sum (it prints a runner's score as passed tests / tests × max_score).
 * Exit 0 whatever the score: the reporter fails the job when a part failed.
 */
import { langFromEnv } from "./i18n";
import { inLanguage } from "./scoring";
import * as fs from "node:fs";
import { grade, GraderError } from "./grade";
import { EXERCISES, gradedParts } from "./manifest";
import type { GradeReport } from "./scoring";
import { textTable } from "./results";

/** The runner id of a graded part: letters and digits only (the reporter's env var is ID_RESULTS). */
export function runnerId(exercise: string, partIndex: number): string {
  return `${exercise.replace(/[^a-z0-9]/gi, "")}${partIndex + 1}`.toLowerCase();
}

/** Every part with points a student's run grades, with its runner id. */
export function classroomRunners(): { id: string; exercise: string; key: string; title: string; points: number }[] {
  // Numbered among the visible parts: the same in the instructor's manifest and the student copy's.
  return EXERCISES.flatMap((e) => {
    const visible = gradedParts(e, false);
    return visible.filter((p) => p.points > 0).map((p) => ({ id: runnerId(e.id, visible.indexOf(p)), exercise: e.id, key: p.key, title: p.title.en, points: p.points }));
  });
}

export interface RunnerResult {
  version: 1;
  status: "pass" | "fail" | "error";
  max_score: number;
  tests: { name: string; status: "pass" | "fail" | "error"; score: number; message: string; line_no: 0; execution_time: string }[];
}

export function runnerResults(report: GradeReport): Map<string, RunnerResult> {
  const out = new Map<string, RunnerResult>();
  for (const r of classroomRunners()) {
    const part = report.exercises.find((e) => e.id === r.exercise)?.parts.find((p) => p.key === r.key);
    const passed = part?.status === "passed";
    const status = passed ? "pass" : "fail";
    out.set(r.id, {
      version: 1,
      status,
      max_score: r.points,
      tests: [{ name: `${r.exercise}: ${r.title}`, status, score: passed ? r.points : 0, message: passed ? "" : (part ? `${part.output.zh.split("\n")[0]} · ${part.output.en.split("\n")[0]}` : "not run · 没有运行").slice(0, 500), line_no: 0, execution_time: "0" }],
    });
  }
  return out;
}

/** Text from a submission in a Markdown table cell: no HTML, no column breaks, one line. */
const cell = (s: string) => s.replace(/[\r\n]+/g, " ").replace(/[<>&|`\\[\]*_]/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 300);

export function summaryMarkdown(report: GradeReport): string {
  // The student reads both: the summary page has no language switch.
  const rows = report.exercises.map((e) => `| ${e.id} | ${e.score}/${e.max} | ${e.status} | ${cell(e.feedback.zh)}${e.feedback.en ? ` · ${cell(e.feedback.en)}` : ""} |`);
  return [
    "## Pooling exercises (d2l.ai 6.5) — 汇聚层练习",
    "",
    "| exercise 练习 | points 得分 | status 状态 | feedback 反馈 |",
    "| --- | ---: | --- | --- |",
    ...rows,
    `| **total 总分** | **${report.score}/${report.max}** | | |`,
    "",
    "Visible tests only: your instructor's grading also runs hidden tests. · 只含公开测试：老师评分时还会运行隐藏测试。",
    "Run `npm run grade` in your copy for every part's feedback. · 在你的副本里运行 `npm run grade` 查看每个测试的反馈。",
    "",
  ].join("\n");
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let report: GradeReport;
  try {
    // GRADE_TARGET: another folder than exercises/ (as `npm run grade`; the project's tests use it).
    report = await grade({ hidden: false, typecheck: false, target: env.GRADE_TARGET || undefined });
  } catch (e) {
    process.stderr.write(`classroom: ${e instanceof GraderError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
  process.stdout.write(`${textTable(inLanguage(report, langFromEnv(env)), { color: false, width: 160, lang: langFromEnv(env) })}\n`);
  if (env.GITHUB_STEP_SUMMARY) fs.appendFileSync(env.GITHUB_STEP_SUMMARY, summaryMarkdown(report));
  if (env.GITHUB_OUTPUT) {
    const lines = [...runnerResults(report)].map(([id, r]) => `${id}=${Buffer.from(JSON.stringify(r)).toString("base64")}`);
    fs.appendFileSync(env.GITHUB_OUTPUT, `${lines.join("\n")}\n`);
  }
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
