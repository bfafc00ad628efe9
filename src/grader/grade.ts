/**
 * Grades submissions — one folder of exercise modules for a student (`grade`), or a whole class
 * (`gradeSubmissions`, used by ./batch.ts). A part that did not run (a crashed spec, a time limit, a
 * missing test) scores 0 and says why.
 *
 * The pipeline, one module per step:
 * 1. ./work.ts: a work folder with the library copy; every submission copied (regular .ts files
 *    only) and compiled into it (./sandbox/prepare.ts);
 * 2. ./specs.ts: one small test file per submission, naming its spec modules;
 * 3. ./runner.ts: a child process (./run-specs.ts, in its own process group) runs them all with
 *    vitest, `jobs` submissions at a time; the specs (./spec/) call each submission only through its
 *    sandbox process (./sandbox/): Node's permission model, no writes, no processes, a heap cap, a
 *    time limit per call and a wall-clock limit for all of the submission's code;
 * 4. each graded part reports a typed record (./records.ts); ./scoring.ts turns a submission's
 *    records into its report, with the manifest as the only source of points.
 */
import { randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { GraderError } from "./errors";
import { join, text, type Text } from "./i18n";
import { EXERCISES, gradedParts, type Exercise, type ExerciseId } from "./manifest";
import { displayPath, projectRoot, targetFile } from "./paths";
import type { RunRequest, RunnerMessage, SubmissionSpec } from "./protocol";
import type { PartRecord } from "./records";
import { recordKey, scoreExercise, scoreSubmission, type ExerciseResult, type GradeReport } from "./scoring";
import { SpecRunner } from "./runner";
import { checkSpecs, specModules, writeSubmissionFile } from "./specs";
import { typecheckSubmissions } from "./typecheck";
import { WorkFolder } from "./work";
import { RunGuard } from "./lifetime";

export { GraderError } from "./errors";
export type { ExerciseResult, ExerciseStatus, GradeReport, PartResult, PartStatus } from "./scoring";

export interface GradeOptions {
  /** Folder with the exercise modules (default: the project's exercises/). */
  target?: string;
  /** Include the instructor-only hidden tests. */
  hidden?: boolean;
  /** Only these exercises (default: all). */
  exercises?: readonly string[];
  /** Wall-clock limit for all of the submission's code, ms (default 300 000). */
  timeoutMs?: number;
  /** Limit of one call into the submission, ms (default 10 000). */
  callTimeoutMs?: number;
  /** Heap limit of the submission's process, MB (default 512). */
  memoryMb?: number;
  /** Type-check the files too (feedback, not graded); default true. */
  typecheck?: boolean;
  /**
   * The grading seed (fresh cases, ./spec/fresh.ts). Default: none for a student's run (fixed cases,
   * recorded values), a random one when hidden tests count (an instructor's grading).
   */
  seed?: number | null;
  /** Called when an exercise has finished (all its parts reported). */
  onExercise?: (result: ExerciseResult, done: number, total: number) => void;
}

/** A grading seed chosen now (recorded in each results.json; `--seed` gives it back). */
export function chooseSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

/**
 * The seed of an instructor's grading: the one given, else one chosen now — where fresh cases can be
 * checked, i.e. in the instructor's project (a student copy has no reference solutions: null).
 */
export function gradingSeed(given: number | null | undefined): number | null {
  if (given !== undefined) return given;
  return fs.existsSync(path.join(projectRoot(), "solutions")) ? chooseSeed() : null;
}

export function selectExercises(ids?: readonly string[]): Exercise[] {
  if (!ids || ids.length === 0) return [...EXERCISES];
  const unknown = ids.filter((id) => !EXERCISES.some((e) => e.id === id));
  if (unknown.length) throw new GraderError(`unknown exercise ${unknown.map((u) => `'${u}'`).join(", ")}; the exercises are: ${EXERCISES.map((e) => e.id).join(", ")}`);
  return EXERCISES.filter((e) => ids.includes(e.id));
}

// ---------------------------------------------------------------------------------------------
// One student's folder

export async function grade(options: GradeOptions = {}): Promise<GradeReport> {
  const root = projectRoot();
  const target = path.resolve(root, options.target ?? "exercises");
  const exercises = selectExercises(options.exercises);
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) {
    throw new GraderError(`the exercises folder ${displayPath(target)} does not exist. Run the grader from a copy of the course project (or pass --target DIR).`);
  }
  if (!exercises.some((e) => fs.existsSync(targetFile(target, e.id)))) {
    throw new GraderError(`${displayPath(target)} holds none of the exercise files (${exercises.map((e) => `${e.id}.ts`).join(", ")}). Is this the right folder?`);
  }
  const [result] = await gradeSubmissions([{ id: "submission", dir: target, display: displayPath(target) }], {
    hidden: options.hidden ?? false,
    exercises,
    jobs: 1,
    timeoutMs: options.timeoutMs,
    callTimeoutMs: options.callTimeoutMs,
    memoryMb: options.memoryMb,
    typecheck: options.typecheck,
    seed: options.hidden ? gradingSeed(options.seed) : (options.seed ?? null),
    onExercise: options.onExercise ? (_id, e, done, total) => options.onExercise!(e, done, total) : undefined,
  });
  return result.report;
}

// ---------------------------------------------------------------------------------------------
// Many submissions

export interface SubmissionInput {
  /** The student (a folder name in a batch). */
  id: string;
  /** Folder with the student's exercise files (untrusted). */
  dir: string;
  /** How the files are named in feedback: "exercises" (a batch) or the path shown to a student. */
  display: string;
}

export interface SubmissionResult {
  id: string;
  report: GradeReport;
  /** Exercise name → the syntax error that kept its file from running (for the class report's flags). */
  syntaxErrors: Record<string, string>;
}

export interface BatchOptions {
  hidden: boolean;
  exercises?: Exercise[];
  /** Submissions graded at the same time (vitest workers). */
  jobs: number;
  timeoutMs?: number;
  callTimeoutMs?: number;
  memoryMb?: number;
  /** Where expected values come from (default: solutions/ if present, else the recorded table). */
  expected?: RunRequest["expected"];
  /** Keep the work folder (debugging). */
  keepWork?: boolean;
  /** Which spec files to run: visible and (with `hidden`) hidden ones (default), or only one kind. */
  specs?: "all" | "visible" | "hidden";
  /** Type-check the submissions alongside the grading (./typecheck.ts); default true. */
  typecheck?: boolean;
  /** The grading seed (see GradeOptions.seed); default none. */
  seed?: number | null;
  onExercise?: (submission: string, result: ExerciseResult, done: number, total: number) => void;
  onSubmission?: (result: SubmissionResult, done: number, total: number) => void;
}

export const DEFAULTS = Object.freeze({ timeoutMs: 300_000, callTimeoutMs: 10_000, retryTimeoutMs: 2_000, memoryMb: 512 });

export function expectedSource(root: string): RunRequest["expected"] {
  if (fs.existsSync(path.join(root, "solutions"))) return { mode: "solutions" };
  const recorded = path.join(root, "test", "exercises", "expected");
  if (fs.existsSync(recorded)) return { mode: "recorded", dir: recorded };
  throw new GraderError("neither solutions/ nor test/exercises/expected/ is here: restore the course project (the grader needs one of them for expected values).");
}

/** One submission while its parts come in: its records, and which exercises are complete. */
class Progress {
  readonly records = new Map<string, PartRecord>();
  readonly moduleErrors: string[] = [];
  readonly finishedExercises = new Set<ExerciseId>();
  firstSeen: number | null = null;
  endedAt: number | null = null;
  done = false;

  constructor(
    readonly input: SubmissionInput,
    readonly index: number,
    readonly prepared: { notes: Text[]; sourceDir: string; syntaxErrors: Record<string, string> },
  ) {}

  /** Why a part without a record did not run. */
  unreported(stoppedBy: Text | null): Text {
    if (stoppedBy) return join([text("没有完成：", "not finished: "), stoppedBy]);
    if (this.moduleErrors.length) return text(`没有运行：测试文件出错——${this.moduleErrors[0]}`, `not run: the spec file failed — ${this.moduleErrors[0]}`);
    return text("没有运行：这一部分没有测试（评分器的问题：请检查 test/exercises/）", "not run: no test for this part (grader bug: check test/exercises/)");
  }
}

export async function gradeSubmissions(inputs: SubmissionInput[], options: BatchOptions): Promise<SubmissionResult[]> {
  const root = projectRoot();
  const hidden = options.hidden;
  const exercises = options.exercises ?? [...EXERCISES];
  checkSpecs(root, exercises, hidden);
  const expected = options.expected ?? expectedSource(root);
  const seed = options.seed ?? null;
  if (seed !== null && (!Number.isSafeInteger(seed) || seed < 0)) throw new GraderError(`--seed ${seed}: give a whole number ≥ 0`);
  if (seed !== null && expected.mode !== "solutions") {
    throw new GraderError("a grading seed needs the reference solutions (the instructor's project): a student copy grades with its recorded values and fixed cases only");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const callTimeoutMs = Math.min(options.callTimeoutMs ?? DEFAULTS.callTimeoutMs, timeoutMs);
  const memoryMb = options.memoryMb ?? DEFAULTS.memoryMb;
  const jobs = Math.max(1, Math.min(options.jobs, inputs.length || 1));
  const started = Date.now();
  const runner = new SpecRunner();
  // Nothing of this run outlives it, however the grader ends (./lifetime.ts).
  const guard = new RunGuard();
  guard.onCleanup(() => runner.kill());
  try {
    const work = WorkFolder.create(root);
    guard.watchWork(work.dir);
    if (!options.keepWork) guard.onCleanup(() => work.remove());
    await work.preflight(memoryMb);
    const modules = specModules(exercises, hidden, options.specs);
    const byFile = new Map<string, Progress>();
    const progress = inputs.map((input, index) => {
      const prepared = work.prepare(index, input.dir);
      const spec: SubmissionSpec = {
        id: input.id,
        sourceDir: prepared.sourceDir,
        runDir: prepared.runDir,
        libDir: work.libDir,
        display: input.display,
        timeoutMs,
        callTimeoutMs,
        retryTimeoutMs: Math.min(DEFAULTS.retryTimeoutMs, callTimeoutMs),
        memoryMb,
        syntaxErrors: prepared.syntaxErrors,
        hidden,
        warmSpare: inputs.length > 1,
        seed,
      };
      const p = new Progress(input, index, prepared);
      byFile.set(writeSubmissionFile(work.specsDir, index, spec, modules), p);
      return p;
    });
    // Feedback only, on the grader's capped copies, at low priority while the grading runs.
    const checking =
      options.typecheck === false
        ? null
        : typecheckSubmissions(
            root,
            progress.map((p) => ({ id: String(p.index), dir: p.prepared.sourceDir })),
            { onProcess: (child) => child && guard.onCleanup(() => child.kill("SIGKILL")) },
          );

    let finished = 0;
    const results: SubmissionResult[] = new Array(progress.length);
    const finishExercise = (p: Progress, e: Exercise) => {
      if (p.finishedExercises.has(e.id)) return;
      p.finishedExercises.add(e.id);
      options.onExercise?.(p.input.id, scoreExercise(e, hidden, p.records, p.unreported(null)), p.finishedExercises.size, exercises.length);
    };
    const finish = (p: Progress, stoppedBy: Text | null) => {
      if (p.done) return;
      p.done = true;
      p.endedAt ??= Date.now();
      for (const e of exercises) finishExercise(p, e);
      const begin = progress.length === 1 ? started : (p.firstSeen ?? p.endedAt);
      const report = scoreSubmission({
        target: p.input.dir,
        hidden,
        exercises,
        records: p.records,
        unreported: p.unreported(stoppedBy),
        runWarnings: [...(stoppedBy ? [stoppedBy] : []), ...p.moduleErrors.map((err) => text(`评分运行中出错：${err.split("\n")[0]}`, `an error in the grader's run: ${err.split("\n")[0]}`))],
        notes: p.prepared.notes,
        budgetSeconds: Math.round(timeoutMs / 1000),
        executionTime: (p.endedAt - begin) / 1000,
        seed,
      });
      results[p.index] = { id: p.input.id, report, syntaxErrors: p.prepared.syntaxErrors };
      options.onSubmission?.(results[p.index], ++finished, progress.length);
    };
    const onMessage = (m: RunnerMessage) => {
      if (m.type === "part") {
        const p = byFile.get(path.resolve(m.file));
        const e = exercises.find((x) => x.id === m.record.exercise);
        if (!p || !e) return;
        p.firstSeen ??= Date.now();
        p.records.set(recordKey(e.id, m.record.part), m.record);
        if (gradedParts(e, hidden).every((part) => p.records.has(recordKey(e.id, part.key)))) finishExercise(p, e);
      } else if (m.type === "module") {
        const p = byFile.get(path.resolve(m.file));
        if (!p) return;
        p.moduleErrors.push(...m.errors);
        finish(p, null);
      } else if (m.type === "done") {
        for (const err of m.errors) for (const p of progress) if (!p.done) p.moduleErrors.push(`an error outside the tests: ${err.split("\n")[0]}`);
      }
    };
    const request: RunRequest = {
      root,
      specsDir: work.specsDir,
      // A part cannot outlast its submission's time for all its code: this only catches a grader hang.
      testTimeout: timeoutMs + 60_000,
      hookTimeout: timeoutMs + 60_000,
      maxWorkers: jobs,
      expected,
    };
    const runLimitMs = Math.ceil(progress.length / jobs) * (timeoutMs + 60_000) + 120_000;
    const { stoppedBy } = await runner.run(request, onMessage, runLimitMs, (group) => guard.watchGroup(group), work.tmpDir);
    for (const p of progress) finish(p, stoppedBy);
    const checked = checking ? await checking : null;
    if (checked) for (const r of results.keys()) results[r].report.typecheck = checked[String(r)] ?? { problem: "the type check gave no answer" };
    return results;
  } finally {
    guard.end();
  }
}
