/**
 * Grades submissions — one folder of exercise modules for a student (`grade`), or a whole class
 * (`gradeSubmissions`, used by ./batch.ts) — and turns what the specs report into scores using the
 * manifest, the only source of points. A part that did not run (a crashed spec, a time limit, a
 * missing test) scores 0 and says why.
 *
 * How (see ./sandbox/ and ./spec/submission.ts):
 * 1. every submission is copied (regular .ts files only) and compiled into a work folder;
 * 2. one small test file per submission is written; a child process (./run-specs.ts, in its own
 *    process group) runs them all with vitest, `jobs` submissions at a time;
 * 3. the specs run in vitest's workers and call the submission only through a sandbox process per
 *    submission: Node's permission model, no writes, no processes, a heap cap, a time limit per call
 *    and a wall-clock limit for all of the submission's code;
 * 4. a kill timer for the whole run is the last resort; the work folder is removed at the end.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES, gradedParts, maxScore, partNumber, type Exercise, type ExerciseId } from "./manifest";
import { builtGraderDir, displayPath, projectRoot, specFiles, targetFile } from "./paths";
import type { RunRequest, RunnerMessage } from "./protocol";
import { prepareLibrary, prepareSubmission } from "./sandbox/prepare";
import { Sandbox } from "./sandbox/sandbox";

export interface GradeOptions {
  /** Folder with the exercise modules (default: the project's exercises/). */
  target?: string;
  /** Include the instructor-only hidden tests. */
  hidden?: boolean;
  /** Only these exercises (default: all). */
  exercises?: readonly string[];
  /** Wall-clock limit for all of the submission's code, ms (default 300 000). */
  timeoutMs?: number;
  /** Per-test limit, ms (default 60 000). */
  testTimeoutMs?: number;
  /** Accepted for compatibility: every submission now runs in its own sandbox process anyway. */
  isolate?: boolean;
  /** Limit of one call into the submission, ms (default 10 000). */
  callTimeoutMs?: number;
  /** Heap limit of the submission's process, MB (default 512). */
  memoryMb?: number;
  /** Called when an exercise has finished (all its parts reported). */
  onExercise?: (result: ExerciseResult, done: number, total: number) => void;
}

export type PartStatus = "passed" | "failed";
export type ExerciseStatus = "passed" | "partial" | "failed" | "not started";

export interface PartResult {
  exercise: ExerciseId;
  key: string;
  /** "1.3": exercise 1 in the manifest, its third part. */
  number: string;
  title: string;
  points: number;
  score: number;
  status: PartStatus;
  hidden: boolean;
  /** The feedback (first line: the summary), or "" when passed. */
  output: string;
  /** Written answers recorded by the part (annotations). */
  answers: string[];
  notImplemented: boolean;
}

export interface ExerciseResult {
  id: ExerciseId;
  zh: number | null;
  en: number | null;
  title: { zh: string; en: string };
  score: number;
  max: number;
  status: ExerciseStatus;
  /** The first line of the first failed part's feedback ("" when all passed). */
  feedback: string;
  parts: PartResult[];
}

export interface GradeReport {
  target: string;
  hidden: boolean;
  score: number;
  max: number;
  exercises: ExerciseResult[];
  /** Seconds. */
  executionTime: number;
  /** Problems of the run itself (timeouts, crashes), shown under the table. */
  warnings: string[];
}

/** The grader itself cannot run (no exercises folder, no specs, no vitest): exit non-zero. */
export class GraderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraderError";
  }
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
    testTimeoutMs: options.testTimeoutMs,
    callTimeoutMs: options.callTimeoutMs,
    memoryMb: options.memoryMb,
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
  /** Files that were not taken (links, too large...), for the feedback. */
  notes: string[];
  /** Exercise → syntax error. */
  syntaxErrors: Record<string, string>;
  /** The copied sources (valid until gradeSubmissions resolves; the type check reads them). */
  sourceDir: string;
}

export interface BatchOptions {
  hidden: boolean;
  exercises?: Exercise[];
  /** Submissions graded at the same time (vitest workers). */
  jobs: number;
  timeoutMs?: number;
  testTimeoutMs?: number;
  callTimeoutMs?: number;
  memoryMb?: number;
  /** Where expected values come from (default: solutions/ if present, else the recorded table). */
  expected?: RunRequest["expected"];
  /** Keep the work folder (debugging). */
  keepWork?: boolean;
  /** Which spec files to run: visible and (with `hidden`) hidden ones (default), or only one kind. */
  specs?: "all" | "visible" | "hidden";
  /** Called once the work folder is ready (e.g. to start the type check on the copies). */
  onPrepared?: (prepared: { id: string; sourceDir: string }[]) => void;
  onExercise?: (submission: string, result: ExerciseResult, done: number, total: number) => void;
  onSubmission?: (result: SubmissionResult, done: number, total: number) => void;
}

interface Seen {
  state: "passed" | "failed" | "skipped" | "pending";
  message: string | null;
  annotations: string[];
}

interface Tracker {
  input: SubmissionInput;
  index: number;
  wrapper: string;
  notes: string[];
  syntaxErrors: Record<string, string>;
  sourceDir: string;
  seen: Map<string, Seen>;
  moduleErrors: string[];
  finishedExercises: Set<ExerciseId>;
  firstSeen: number | null;
  endedAt: number | null;
  done: boolean;
}

export const DEFAULTS = Object.freeze({ timeoutMs: 300_000, callTimeoutMs: 10_000, retryTimeoutMs: 2_000, memoryMb: 512, testTimeoutMs: 60_000 });

function expectedSource(root: string): RunRequest["expected"] {
  if (fs.existsSync(path.join(root, "solutions"))) return { mode: "solutions" };
  const recorded = path.join(root, "test", "exercises", "expected");
  if (fs.existsSync(recorded)) return { mode: "recorded", dir: recorded };
  throw new GraderError("neither solutions/ nor test/exercises/expected/ is here: restore the course project (the grader needs one of them for expected values).");
}

function checkSpecs(root: string, exercises: Exercise[], hidden: boolean): void {
  try {
    require.resolve("vitest/node", { paths: [root] });
  } catch {
    throw new GraderError("vitest is not installed in this project: run `npm ci` first.");
  }
  for (const e of exercises) {
    const spec = specFiles(e.id);
    if (!fs.existsSync(spec.visible)) throw new GraderError(`the graded spec ${displayPath(spec.visible)} is missing: restore test/exercises/ from the course project.`);
    if (hidden && e.parts.some((p) => p.hidden) && !fs.existsSync(spec.hidden)) {
      throw new GraderError(`hidden tests were asked for, but ${displayPath(spec.hidden)} is missing (a student copy has no hidden tests).`);
    }
  }
  for (const f of ["run-specs.js", path.join("sandbox", "child.js"), "codec.js"]) {
    if (!fs.existsSync(path.join(builtGraderDir(), f))) throw new GraderError(`${displayPath(path.join(builtGraderDir(), f))} is missing: run \`npm run build\` first.`);
  }
}

function wrapperSource(root: string, spec: object, exercises: Exercise[], hidden: boolean, which: "all" | "visible" | "hidden" = "all"): string {
  const support = path.join(root, "src", "grader", "spec", "submission.ts");
  const modules: string[] = [];
  for (const e of exercises) {
    const files = specFiles(e.id);
    const list: [string, boolean][] = which === "hidden" ? [] : [[files.visible, false]];
    if (hidden && which !== "visible" && e.parts.some((p) => p.hidden)) list.push([files.hidden, true]);
    for (const [file, isHidden] of list) {
      modules.push(`  { file: ${JSON.stringify(file)}, exercise: ${JSON.stringify(e.id)}, hidden: ${isHidden}, load: () => import(${JSON.stringify(file)}) },`);
    }
  }
  return `// Written by src/grader/grade.ts: grades one submission.\nimport { gradeSubmission } from ${JSON.stringify(support)};\n\nawait gradeSubmission(${JSON.stringify(spec)}, [\n${modules.join("\n")}\n]);\n`;
}

export async function gradeSubmissions(inputs: SubmissionInput[], options: BatchOptions): Promise<SubmissionResult[]> {
  const root = projectRoot();
  const hidden = options.hidden;
  const exercises = options.exercises ?? [...EXERCISES];
  checkSpecs(root, exercises, hidden);
  const expected = options.expected ?? expectedSource(root);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const callTimeoutMs = Math.min(options.callTimeoutMs ?? DEFAULTS.callTimeoutMs, timeoutMs);
  const memoryMb = options.memoryMb ?? DEFAULTS.memoryMb;
  const jobs = Math.max(1, Math.min(options.jobs, inputs.length || 1));
  const started = Date.now();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-grade-"));
  fs.chmodSync(work, 0o755);
  const cleanup = () => {
    if (!options.keepWork) fs.rmSync(work, { recursive: true, force: true });
  };
  let child: ReturnType<typeof spawn> | null = null;
  const killAll = () => {
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const onSignal = () => {
    killAll();
    cleanup();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const libDir = path.join(work, "lib");
    prepareLibrary(root, libDir);
    await preflight(work, libDir, memoryMb);
    const specsDir = path.join(work, "specs");
    fs.mkdirSync(specsDir);
    const trackers: Tracker[] = inputs.map((input, index) => {
      const prepared = prepareSubmission(input.dir, path.join(work, "subs", String(index)));
      const spec = {
        id: input.id,
        sourceDir: prepared.sourceDir,
        runDir: prepared.runDir,
        libDir,
        display: input.display,
        timeoutMs,
        callTimeoutMs,
        retryTimeoutMs: Math.min(DEFAULTS.retryTimeoutMs, callTimeoutMs),
        memoryMb,
        syntaxErrors: prepared.syntaxErrors,
        hidden,
        warmSpare: inputs.length > 1,
      };
      // Zero-padded: vitest runs the files in name order when it has no timings.
      const wrapper = path.join(specsDir, `${String(index).padStart(6, "0")}.grade.ts`);
      fs.writeFileSync(wrapper, wrapperSource(root, spec, exercises, hidden, options.specs));
      return {
        input,
        index,
        wrapper,
        notes: prepared.notes,
        syntaxErrors: prepared.syntaxErrors,
        sourceDir: prepared.sourceDir,
        seen: new Map(),
        moduleErrors: [],
        finishedExercises: new Set(),
        firstSeen: null,
        endedAt: null,
        done: false,
      };
    });
    options.onPrepared?.(trackers.map((t) => ({ id: t.input.id, sourceDir: t.sourceDir })));
    const byWrapper = new Map(trackers.map((t) => [t.wrapper, t]));
    let finished = 0;
    const results: SubmissionResult[] = new Array(trackers.length);
    const finish = (t: Tracker, stoppedBy: string | null) => {
      if (t.done) return;
      t.done = true;
      t.endedAt ??= Date.now();
      for (const e of exercises) finishExercise(t, e);
      results[t.index] = resultOf(t, exercises, hidden, stoppedBy, trackers.length === 1 ? started : null, timeoutMs);
      options.onSubmission?.(results[t.index], ++finished, trackers.length);
    };
    const finishExercise = (t: Tracker, e: Exercise) => {
      if (t.finishedExercises.has(e.id)) return;
      t.finishedExercises.add(e.id);
      options.onExercise?.(t.input.id, scoreExercise(e, hidden, t.seen, t.moduleErrors, null), t.finishedExercises.size, exercises.length);
    };

    const request: RunRequest = { root, specsDir, testTimeout: options.testTimeoutMs ?? DEFAULTS.testTimeoutMs, maxWorkers: jobs, expected };
    // The last resort: every submission has its own limits, so this only fires if the grader hangs.
    const runLimitMs = Math.ceil(trackers.length / jobs) * (timeoutMs + 60_000) + 120_000;
    let stoppedBy: string | null = null;
    const runner = path.join(builtGraderDir(), "run-specs.js");
    await new Promise<void>((resolve, reject) => {
      const profile = process.env.GRADE_CPU_PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.GRADE_CPU_PROF_DIR}`] : [];
      child = spawn(process.execPath, [...profile, runner, JSON.stringify(request)], {
        cwd: root,
        detached: true, // its own process group: one kill stops vitest's workers and the sandboxes
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        // The specs' own pooling runs on small tensors: one thread per worker, the cores are for grading.
        env: { D2L_POOL_THREADS: "1", ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
      });
      let output = "";
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout!.on("data", keep);
      child.stderr!.on("data", keep);
      let done = false;
      let fatal: string | null = null;
      const timer = setTimeout(() => {
        stoppedBy = `grading was stopped after ${Math.round(runLimitMs / 1000)} s (the grader's own limit for the whole run)`;
        killAll();
      }, runLimitMs);
      child.on("message", (m: RunnerMessage) => {
        if (m.type === "case") {
          const t = byWrapper.get(path.resolve(m.file));
          if (!t || !m.exercise || !m.part) return;
          t.firstSeen ??= Date.now();
          t.seen.set(`${m.exercise}/${m.part}`, { state: m.state, message: m.message, annotations: m.annotations });
          const e = exercises.find((x) => x.id === m.exercise);
          if (e && gradedParts(e, hidden).every((p) => t.seen.has(`${e.id}/${p.key}`))) finishExercise(t, e);
        } else if (m.type === "module") {
          const t = byWrapper.get(path.resolve(m.file));
          if (!t) return;
          if (m.errors.length) t.moduleErrors.push(...m.errors);
          finish(t, null);
        } else if (m.type === "done") {
          done = true;
          for (const e of m.errors) for (const t of trackers) if (!t.done) t.moduleErrors.push(`an error outside the tests: ${e.split("\n")[0]}`);
        } else if (m.type === "fatal") {
          fatal = m.message;
        }
      });
      child.on("exit", () => {
        clearTimeout(timer);
        killAll(); // leftovers of the group (sandboxes included), if any
        if (stoppedBy || done) return resolve();
        reject(new GraderError(`the spec runner failed${fatal ? `: ${fatal}` : ""}\n${output.trim()}`));
      });
      child.on("error", (e) => reject(new GraderError(`cannot start the spec runner: ${e.message}`)));
    });
    for (const t of trackers) finish(t, stoppedBy);
    return results;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    killAll();
    cleanup();
  }
}

/** Starts one sandbox on an empty submission: if that fails, the grader cannot run (exit 2). */
async function preflight(work: string, libDir: string, memoryMb: number): Promise<void> {
  const empty = prepareSubmission(path.join(work, "nothing"), path.join(work, "preflight"));
  const sandbox = new Sandbox({ runDir: empty.runDir, libDir, display: "exercises", callTimeoutMs: 30_000, memoryMb });
  try {
    const reply = await sandbox.endpoint("nothing").get("nothing");
    if (reply.ok || reply.failure.kind !== "load") {
      throw new GraderError(`the sandbox for student code does not work here: ${reply.ok ? "unexpected answer" : reply.failure.message}`);
    }
  } finally {
    await sandbox.close();
  }
}

function resultOf(t: Tracker, exercises: Exercise[], hidden: boolean, stoppedBy: string | null, runStarted: number | null, timeoutMs: number): SubmissionResult {
  const reports = exercises.map((e) => scoreExercise(e, hidden, t.seen, t.moduleErrors, stoppedBy));
  const warnings: string[] = [];
  if (stoppedBy) warnings.push(stoppedBy);
  const budget = Math.round(timeoutMs / 1000);
  const outOfTime = reports.some((e) => e.parts.some((p) => /time limit \(\d+ s for all its code\)/.test(p.output)));
  if (outOfTime) warnings.push(`the code was stopped after ${budget} s — is there an infinite loop? (${budget} s is the time limit for all of a submission's code; parts that had not finished score 0)`);
  for (const err of t.moduleErrors) warnings.push(`an error in the grader's run: ${err.split("\n")[0]}`);
  const begin = runStarted ?? t.firstSeen ?? t.endedAt ?? Date.now();
  const report: GradeReport = {
    target: t.input.dir,
    hidden,
    score: reports.reduce((s, r) => s + r.score, 0),
    max: reports.reduce((s, r) => s + r.max, 0),
    exercises: reports,
    executionTime: ((t.endedAt ?? Date.now()) - begin) / 1000,
    warnings,
  };
  return { id: t.input.id, report, notes: t.notes, syntaxErrors: t.syntaxErrors, sourceDir: t.sourceDir };
}

function scoreExercise(e: Exercise, hidden: boolean, seen: Map<string, Seen>, moduleErrors: string[], stoppedBy: string | null): ExerciseResult {
  const parts: PartResult[] = gradedParts(e, hidden).map((p) => {
    const s = seen.get(`${e.id}/${p.key}`);
    let output: string;
    let passed = false;
    if (!s) {
      output = stoppedBy
        ? `not finished: ${stoppedBy}`
        : moduleErrors.length
          ? `not run: the spec file failed — ${moduleErrors[0]}`
          : "not run: no test for this part (grader bug: check test/exercises/)";
    } else if (s.state === "passed") {
      passed = true;
      output = "";
    } else if (s.state === "failed") {
      output = s.message ?? "failed";
    } else {
      output = `not run (${s.state})`;
    }
    return {
      exercise: e.id,
      key: p.key,
      number: partNumber(e, p),
      title: p.title,
      points: p.points,
      score: passed ? p.points : 0,
      status: passed ? "passed" : "failed",
      hidden: !!p.hidden,
      output,
      answers: s?.annotations ?? [],
      notImplemented: !passed && /not implemented yet|no written answer yet|not answered yet/.test(output.split("\n")[0]),
    };
  });
  const score = parts.reduce((s, p) => s + p.score, 0);
  const max = maxScore(e, hidden);
  const gradedFailed = parts.filter((p) => p.points > 0 && p.status === "failed");
  const status: ExerciseStatus =
    gradedFailed.length === 0 ? "passed" : score === 0 && gradedFailed.every((p) => p.notImplemented) ? "not started" : score > 0 ? "partial" : "failed";
  // The feedback line: the first failure about the code that is more than "not implemented yet"
  // (unless nothing is implemented); then a missing written answer.
  const first =
    gradedFailed.find((p) => status === "not started" || !p.notImplemented) ?? gradedFailed[0] ?? parts.find((p) => p.status === "failed");
  return { id: e.id, zh: e.zh, en: e.en, title: e.title, score, max, status, feedback: first ? first.output.split("\n")[0] : "", parts };
}
