/**
 * Grades one folder of exercise modules: runs the graded specs in a child process (./run-specs.ts),
 * with a kill timer, and turns what they report into scores using the manifest — the only source of
 * points. A part that did not run (a crashed spec, a timeout, a missing test) scores 0 and says why.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES, gradedParts, maxScore, partNumber, type Exercise, type ExerciseId } from "./manifest";
import { displayPath, projectRoot, specFiles, targetFile } from "./paths";
import type { RunRequest, RunnerMessage } from "./protocol";

export interface GradeOptions {
  /** Folder with the exercise modules (default: the project's exercises/). */
  target?: string;
  /** Include the instructor-only hidden tests. */
  hidden?: boolean;
  /** Only these exercises (default: all). */
  exercises?: readonly string[];
  /** Kill the whole run after this many ms (default 300 000). */
  timeoutMs?: number;
  /** Per-test limit for async code, ms (default 60 000). */
  testTimeoutMs?: number;
  /** A fresh vitest worker for every spec file (slower; see RunRequest.isolate). */
  isolate?: boolean;
  /** Called when an exercise has finished (all its spec files reported). */
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

function checkSetup(target: string, exercises: Exercise[], hidden: boolean): { files: string[]; filesOf: Map<string, ExerciseId> } {
  if (!fs.existsSync(target) || !fs.statSync(target).isDirectory()) {
    throw new GraderError(`the exercises folder ${displayPath(target)} does not exist. Run the grader from a copy of the course project (or pass --target DIR).`);
  }
  if (!exercises.some((e) => fs.existsSync(targetFile(target, e.id)))) {
    throw new GraderError(`${displayPath(target)} holds none of the exercise files (${exercises.map((e) => `${e.id}.ts`).join(", ")}). Is this the right folder?`);
  }
  try {
    require.resolve("vitest/node", { paths: [projectRoot()] });
  } catch {
    throw new GraderError("vitest is not installed in this project: run `npm ci` first.");
  }
  const files: string[] = [];
  const filesOf = new Map<string, ExerciseId>();
  for (const e of exercises) {
    const spec = specFiles(e.id);
    if (!fs.existsSync(spec.visible)) throw new GraderError(`the graded spec ${displayPath(spec.visible)} is missing: restore test/exercises/ from the course project.`);
    files.push(spec.visible);
    filesOf.set(spec.visible, e.id);
    if (hidden && e.parts.some((p) => p.hidden)) {
      if (!fs.existsSync(spec.hidden)) throw new GraderError(`hidden tests were asked for, but ${displayPath(spec.hidden)} is missing (a student copy has no hidden tests).`);
      files.push(spec.hidden);
      filesOf.set(spec.hidden, e.id);
    }
  }
  return { files, filesOf };
}

interface Seen {
  state: "passed" | "failed" | "skipped" | "pending";
  message: string | null;
  annotations: string[];
}

export async function grade(options: GradeOptions = {}): Promise<GradeReport> {
  const started = Date.now();
  const root = projectRoot();
  const target = path.resolve(root, options.target ?? "exercises");
  const hidden = options.hidden ?? false;
  const exercises = selectExercises(options.exercises);
  const { files, filesOf } = checkSetup(target, exercises, hidden);
  const runner = path.join(__dirname, "run-specs.js");
  if (!fs.existsSync(runner)) throw new GraderError(`${displayPath(runner)} is missing: run \`npm run build\` first.`);

  const seen = new Map<string, Seen>(); // "exercise/part" → result
  const moduleErrors = new Map<ExerciseId, string[]>();
  const modulesLeft = new Map<ExerciseId, number>();
  for (const id of filesOf.values()) modulesLeft.set(id, (modulesLeft.get(id) ?? 0) + 1);
  const warnings: string[] = [];
  const finished = new Set<ExerciseId>();
  const byId = new Map(exercises.map((e) => [e.id, e]));

  const request: RunRequest = {
    root,
    files,
    target,
    testTimeout: options.testTimeoutMs ?? 60_000,
    maxWorkers: Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length)),
    isolate: options.isolate ?? false,
  };

  const finishExercise = (id: ExerciseId) => {
    if (finished.has(id)) return;
    finished.add(id);
    options.onExercise?.(scoreExercise(byId.get(id)!, hidden, seen, moduleErrors.get(id) ?? [], null), finished.size, exercises.length);
  };

  let stoppedBy: string | null = null;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [runner, JSON.stringify(request)], {
      cwd: root,
      detached: true, // its own process group: one kill stops vitest's workers too
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, GRADE_TARGET: target, FORCE_COLOR: "0", NO_COLOR: "1" },
    });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    let done = false;
    let fatal: string | null = null;
    const killAll = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timeoutMs = options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => {
      stoppedBy = `the run was stopped after ${Math.round(timeoutMs / 1000)} s — is there an infinite loop? Parts that had not finished score 0.`;
      killAll();
    }, timeoutMs);
    const onSignal = () => {
      killAll();
      process.exit(130);
    };
    process.once("SIGINT", onSignal);
    child.on("message", (m: RunnerMessage) => {
      if (m.type === "case") {
        if (m.exercise && m.part) seen.set(`${m.exercise}/${m.part}`, { state: m.state, message: m.message, annotations: m.annotations });
      } else if (m.type === "module") {
        const id = filesOf.get(path.resolve(m.file));
        if (!id) return;
        if (m.errors.length) moduleErrors.set(id, [...(moduleErrors.get(id) ?? []), ...m.errors]);
        const left = (modulesLeft.get(id) ?? 1) - 1;
        modulesLeft.set(id, left);
        if (left === 0) finishExercise(id);
      } else if (m.type === "done") {
        done = true;
        for (const e of m.errors) warnings.push(`an error outside the tests: ${e.split("\n")[0]}`);
      } else if (m.type === "fatal") {
        fatal = m.message;
      }
    });
    child.on("exit", () => {
      clearTimeout(timer);
      process.removeListener("SIGINT", onSignal);
      killAll(); // leftovers of the group, if any
      if (stoppedBy || done) return resolve();
      reject(new GraderError(`the spec runner failed${fatal ? `: ${fatal}` : ""}\n${output.trim()}`));
    });
    child.on("error", (e) => reject(new GraderError(`cannot start the spec runner: ${e.message}`)));
  });

  if (stoppedBy) warnings.push(stoppedBy);
  const results = exercises.map((e) => scoreExercise(e, hidden, seen, moduleErrors.get(e.id) ?? [], stoppedBy));
  for (const e of exercises) if (!finished.has(e.id)) finishExercise(e.id);
  return {
    target,
    hidden,
    score: results.reduce((s, r) => s + r.score, 0),
    max: results.reduce((s, r) => s + r.max, 0),
    exercises: results,
    executionTime: (Date.now() - started) / 1000,
    warnings,
  };
}

function scoreExercise(e: Exercise, hidden: boolean, seen: Map<string, Seen>, moduleErrors: string[], stoppedBy: string | null): ExerciseResult {
  const parts: PartResult[] = gradedParts(e, hidden).map((p) => {
    const s = seen.get(`${e.id}/${p.key}`);
    let output: string;
    let passed = false;
    if (!s) {
      output = moduleErrors.length
        ? `not run: the spec file failed — ${moduleErrors[0]}`
        : stoppedBy
          ? `not finished: ${stoppedBy}`
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
