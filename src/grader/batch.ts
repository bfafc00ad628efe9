/**
 * An instructor grades a class:
 *
 *   npm run grade -- --submissions DIR --out OUT [--jobs N] [--timeout SECONDS]
 *
 * DIR/<student>/ holds that student's versions of the exercises/ files (same names; a missing file is
 * an exercise not attempted). Hidden tests count. Writes OUT/<student>/results.json (Gradescope's
 * format), OUT/<student>/feedback.html, OUT/grades.csv and OUT/report.html. Every submission runs
 * in its own sandbox (./sandbox/), `jobs` at a time; see ./grade.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULTS, GraderError, gradeSubmissions, type SubmissionResult } from "./grade";
import { projectRoot } from "./paths";
import { feedbackHtml, gradesCsv, reportHtml, studentResults, type StudentOutcome } from "./report";
import { typecheckSubmissions, type TypecheckOutcome } from "./typecheck";

export interface BatchRunOptions {
  submissions: string;
  out: string;
  jobs: number;
  /** Wall-clock limit for each submission's code, seconds. */
  timeoutSeconds?: number;
  callTimeoutSeconds?: number;
  memoryMb?: number;
  /** Run the type check (default true). */
  typecheck?: boolean;
  onProgress?: (done: number, total: number, last: { id: string; score: number; max: number }) => void;
  /** Called after the submissions are listed, before grading starts. */
  onStart?: (total: number) => void;
}

export interface BatchSummary {
  students: number;
  outDir: string;
  seconds: number;
  outcomes: StudentOutcome[];
}

/** Names a student folder cannot have: they are the batch's own outputs. */
const RESERVED = new Set(["grades.csv", "report.html"]);

export function listSubmissions(dir: string): { id: string; dir: string }[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new GraderError(`the submissions folder ${dir} does not exist: pass --submissions DIR, a folder with one sub-folder per student`);
  }
  const list: { id: string; dir: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || !entry.isDirectory()) continue; // links are not followed
    if (RESERVED.has(entry.name)) throw new GraderError(`a submission folder is named ${entry.name}, which is one of the grader's output files: rename it`);
    list.push({ id: entry.name, dir: path.join(dir, entry.name) });
  }
  if (list.length === 0) throw new GraderError(`${dir} holds no submission folders: it should have one sub-folder per student, holding that student's exercise files`);
  return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function gradeBatch(o: BatchRunOptions): Promise<BatchSummary> {
  const started = Date.now();
  const submissionsDir = path.resolve(o.submissions);
  const outDir = path.resolve(o.out);
  const list = listSubmissions(submissionsDir);
  if (inside(outDir, submissionsDir)) throw new GraderError(`--out ${o.out} is inside --submissions ${o.submissions}: write the results somewhere else`);
  const root = projectRoot();
  for (const d of ["solutions", "test", "src", "exercises"]) {
    if (inside(outDir, path.join(root, d))) throw new GraderError(`--out ${o.out} is inside the project's ${d}/ folder: write the results somewhere else`);
  }
  try {
    fs.mkdirSync(outDir, { recursive: true });
    fs.accessSync(outDir, fs.constants.W_OK);
  } catch (e) {
    throw new GraderError(`cannot write to ${o.out}: ${(e as Error).message}`);
  }
  o.onStart?.(list.length);
  const timeoutMs = (o.timeoutSeconds ?? DEFAULTS.timeoutMs / 1000) * 1000;
  let typecheck: Promise<TypecheckOutcome> = Promise.resolve({ results: {}, problem: "not run" });
  const results: SubmissionResult[] = [];
  const write = (outcome: StudentOutcome) => {
    const dir = path.join(outDir, outcome.id);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, "results.json"), `${JSON.stringify(studentResults(outcome), null, 2)}\n`);
    writeFileAtomic(path.join(dir, "feedback.html"), feedbackHtml(outcome));
  };
  await gradeSubmissions(
    list.map((s) => ({ id: s.id, dir: s.dir, display: "exercises" })),
    {
      hidden: true,
      jobs: o.jobs,
      timeoutMs,
      callTimeoutMs: o.callTimeoutSeconds !== undefined ? o.callTimeoutSeconds * 1000 : undefined,
      memoryMb: o.memoryMb,
      onPrepared: (prepared) => {
        if (o.typecheck === false) return;
        // The copies, read now: the type check gets their text, never the submission folders.
        const inputs = prepared.map((p) => {
          const files: Record<string, string> = {};
          for (const f of fs.readdirSync(p.sourceDir)) files[f] = fs.readFileSync(path.join(p.sourceDir, f), "utf8");
          return { id: p.id, files };
        });
        typecheck = typecheckSubmissions(root, inputs);
      },
      onSubmission: (r, done, total) => {
        results.push(r);
        // Written at once (without the type check yet), so an interrupted run keeps what it graded.
        write({ id: r.id, report: r.report, typeErrors: {}, typecheckProblem: "not finished yet", notes: r.notes });
        o.onProgress?.(done, total, { id: r.id, score: r.report.score, max: r.report.max });
      },
    },
  );
  const checked = await typecheck;
  const outcomes: StudentOutcome[] = results
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id,
      report: r.report,
      typeErrors: checked.results[r.id] ?? {},
      typecheckProblem: checked.results[r.id] ? null : (checked.problem ?? "not run"),
      notes: r.notes,
    }));
  for (const outcome of outcomes) write(outcome);
  const seconds = (Date.now() - started) / 1000;
  writeFileAtomic(path.join(outDir, "grades.csv"), gradesCsv(outcomes));
  writeFileAtomic(path.join(outDir, "report.html"), reportHtml(outcomes, { seconds }));
  return { students: outcomes.length, outDir, seconds, outcomes };
}
