/**
 * The Targets of one submission: every exercise module reached through ONE sandbox process
 * (../sandbox/), opened on first use. Used for a batch's submissions (./submission.ts) and for the
 * folder a plain vitest run grades (GRADE_TARGET, see ./harness.ts `student`) — the same path, so what
 * `npm test` checks is what grading does.
 */
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { exerciseById, type ExerciseId } from "../manifest";
import type { SubmissionSpec } from "../protocol";
import { Sandbox } from "../sandbox/sandbox";
import { loadTarget, type Endpoint, type Target } from "../target";
import { text, type Text } from "../i18n";

/** A submission being graded: while its tests run, every `student(id)` Target routes to it. */
export interface ActiveSubmission {
  readonly id: string;
  /** Its grading seed, or null (see SubmissionSpec). */
  readonly seed: number | null;
  targetFor(exercise: ExerciseId): Promise<Target>;
  fileOf(exercise: ExerciseId): string;
}

export interface SubmissionTargets extends ActiveSubmission {
  /**
   * The submission's time for all its code starts now; then its exercises' constants (written
   * answers) are read, once, before any graded call.
   */
  start(exercises: readonly ExerciseId[]): Promise<void>;
  /** Stops its sandbox process. */
  close(): Promise<void>;
}

function failing(message: Text): Endpoint {
  const failure = { kind: "load" as const, message };
  return { call: async () => ({ ok: false, failure }), get: async () => ({ ok: false, failure }) };
}

export function submissionTargets(sub: SubmissionSpec): SubmissionTargets {
  let startedAt = 0;
  let sandbox: Sandbox | null = null;
  const openSandbox = () =>
    (sandbox ??= new Sandbox({
      runDir: sub.runDir,
      libDir: sub.libDir,
      display: sub.display,
      callTimeoutMs: sub.callTimeoutMs,
      retryTimeoutMs: sub.retryTimeoutMs,
      memoryMb: sub.memoryMb,
      warmSpare: sub.warmSpare,
      deadline: (startedAt || Date.now()) + sub.timeoutMs,
      budgetSeconds: Math.round(sub.timeoutMs / 1000),
    }));
  const targets = new Map<ExerciseId, Promise<Target>>();
  return {
    id: sub.id,
    seed: sub.seed,
    fileOf: (exercise) => path.join(sub.sourceDir, `${exercise}.ts`),
    targetFor(exercise) {
      let t = targets.get(exercise);
      if (!t) {
        const syntax = sub.syntaxErrors[exercise];
        const where = syntax?.replace(/^syntax error: /, "");
        const loader = syntax ? async () => failing(text(`${sub.display}/${exercise}.ts 无法加载：语法错误：${where}`, `${sub.display}/${exercise}.ts could not be loaded: syntax error: ${where}`)) : openSandbox().loader();
        t = loadTarget(exercise, lib, { dir: sub.sourceDir, display: sub.display, loader });
        targets.set(exercise, t);
      }
      return t;
    },
    async start(exercises) {
      startedAt = Date.now();
      for (const id of exercises) {
        try {
          await (await this.targetFor(id)).readConstants(exerciseById(id).exports);
        } catch {
          // its parts say what went wrong when they read the constant
        }
      }
    },
    async close() {
      await (sandbox as Sandbox | null)?.close();
    },
  };
}
