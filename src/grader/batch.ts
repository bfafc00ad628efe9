/**
 * An instructor grades a class:
 *
 *   npm run grade -- --submissions DIR --out OUT [--jobs N] [--timeout SECONDS]
 *
 * DIR/<student>/ holds that student's versions of the exercises/ files (same names; a missing file is
 * an exercise not attempted). Hidden tests count. Writes OUT/students/<student>/results.json
 * (Gradescope's format) and feedback.html, OUT/grades.csv and OUT/report.html — a student's folder
 * name can never be one of the batch's own files. Every submission runs in its own sandbox
 * (./sandbox/), `jobs` at a time; see ./grade.ts. Each student's step can fail only for that student:
 * grades.csv and report.html are always written.
 */
import type { Text } from "./i18n";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULTS, GraderError, gradeSubmissions, gradingSeed, type SubmissionResult } from "./grade";
import { projectRoot } from "./paths";
import { feedbackHtml, gradesCsv, reportHtml, studentResults, type StudentOutcome } from "./report";
import { capText } from "./records";

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
  /** The grading seed (default: one chosen now, the same for the whole class). */
  seed?: number;
  onProgress?: (done: number, total: number, last: { id: string; score: number; max: number }) => void;
  /** Called after the submissions are listed, before grading starts. */
  onStart?: (total: number) => void;
}

export interface BatchSummary {
  students: number;
  outDir: string;
  seconds: number;
  outcomes: StudentOutcome[];
  /** Students whose outputs could not be written, and why. */
  problems: string[];
  /** The grading seed of the run (null in a student copy: fixed cases only). */
  seed: number | null;
}

/** Largest results.json or feedback.html written for one student (the caps keep them far below). */
export const OUTPUT_CAP_BYTES = 4 * 1024 * 1024;

export function listSubmissions(dir: string): { id: string; dir: string }[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new GraderError(`the submissions folder ${dir} does not exist: pass --submissions DIR, a folder with one sub-folder per student`);
  }
  const list: { id: string; dir: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || !entry.isDirectory()) continue; // links are not followed
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

/** Where a student's results go: OUT/students/<folder name>/ (never one of the batch's own files). */
export function studentDir(outDir: string, id: string): string {
  return path.join(outDir, "students", id);
}

/** results.json and feedback.html of one student, shortened further if they would pass OUTPUT_CAP_BYTES. */
export function studentFiles(outcome: StudentOutcome): { results: string; feedback: string } {
  for (const cap of [Infinity, 2000, 200]) {
    const o = cap === Infinity ? outcome : shortened(outcome, cap);
    const results = `${JSON.stringify(studentResults(o), null, 2)}\n`;
    const feedback = feedbackHtml(o);
    if (Buffer.byteLength(results) <= OUTPUT_CAP_BYTES && Buffer.byteLength(feedback) <= OUTPUT_CAP_BYTES) return { results, feedback };
  }
  throw new Error("its results do not fit in the output cap even when shortened");
}

/** Every text a submission controls cut to `chars` characters. */
function shortened(o: StudentOutcome, chars: number): StudentOutcome {
  const cut = (t: string) => capText(t, chars);
  const cutText = (t: Text): Text => ({ zh: cut(t.zh), en: cut(t.en) });
  const r = o.report;
  const typecheck = r.typecheck && "errors" in r.typecheck ? { errors: Object.fromEntries(Object.entries(r.typecheck.errors).map(([f, lines]) => [f, lines.map(cut)])) } : r.typecheck;
  return {
    ...o,
    report: {
      ...r,
      notes: r.notes.map(cutText),
      warnings: r.warnings.map(cutText),
      typecheck,
      exercises: r.exercises.map((e) => ({ ...e, feedback: cutText(e.feedback), parts: e.parts.map((p) => ({ ...p, output: cutText(p.output), answers: p.answers.map(cut) })) })),
    },
  };
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
    fs.mkdirSync(path.join(outDir, "students"), { recursive: true });
    fs.accessSync(outDir, fs.constants.W_OK);
  } catch (e) {
    throw new GraderError(`cannot write to ${o.out}: ${(e as Error).message}`);
  }
  o.onStart?.(list.length);
  const timeoutMs = (o.timeoutSeconds ?? DEFAULTS.timeoutMs / 1000) * 1000;
  const seed = gradingSeed(o.seed);
  const results: SubmissionResult[] = [];
  const problems: string[] = [];
  // One student's outputs can fail only for that student: the batch goes on and says so.
  const write = (outcome: StudentOutcome) => {
    try {
      const files = studentFiles(outcome);
      const dir = studentDir(outDir, outcome.id);
      fs.mkdirSync(dir, { recursive: true });
      writeFileAtomic(path.join(dir, "results.json"), files.results);
      writeFileAtomic(path.join(dir, "feedback.html"), files.feedback);
    } catch (e) {
      problems.push(`${JSON.stringify(outcome.id)}: its results could not be written: ${(e as Error).message}`);
    }
  };
  await gradeSubmissions(
    list.map((s) => ({ id: s.id, dir: s.dir, display: "exercises" })),
    {
      hidden: true,
      jobs: o.jobs,
      timeoutMs,
      callTimeoutMs: o.callTimeoutSeconds !== undefined ? o.callTimeoutSeconds * 1000 : undefined,
      memoryMb: o.memoryMb,
      typecheck: o.typecheck,
      seed,
      onSubmission: (r, done, total) => {
        results.push(r);
        // Written at once (the type check comes later), so an interrupted run keeps what it graded.
        write({ id: r.id, report: { ...r.report, typecheck: { problem: "not finished yet" } } });
        o.onProgress?.(done, total, { id: r.id, score: r.report.score, max: r.report.max });
      },
    },
  );
  const outcomes: StudentOutcome[] = results.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((r) => ({ id: r.id, report: r.report }));
  for (const outcome of outcomes) write(outcome);
  const seconds = (Date.now() - started) / 1000;
  writeFileAtomic(path.join(outDir, "grades.csv"), gradesCsv(outcomes));
  writeFileAtomic(path.join(outDir, "report.html"), reportHtml(outcomes, { seconds, problems }));
  return { students: outcomes.length, outDir, seconds, outcomes, problems, seed };
}
