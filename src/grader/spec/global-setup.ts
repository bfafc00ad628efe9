/**
 * vitest's global setup for the project's own runs (vitest.config.mts): the graded specs run against
 * GRADE_TARGET (`npm test`: solutions/) through the same sandbox as grading — a work folder with the
 * library copy and the target's compiled files, prepared once per run and removed at its end. With
 * GRADE_IN_PROCESS=1 the specs call the target in the worker instead (to step through it in a debugger).
 */
import type { Text } from "../i18n";
import type { TestProject } from "vitest/node";
import { DEFAULTS } from "../grade";
import { displayPath, projectRoot, targetDir } from "../paths";
import type { SubmissionSpec } from "../protocol";
import { WorkFolder } from "../work";

export type DirectTarget = { spec: SubmissionSpec; notes: Text[] } | { error: string };

declare module "vitest" {
  export interface ProvidedContext {
    d2lGradeTarget: DirectTarget;
  }
}

export default function setup(project: TestProject): (() => void) | void {
  if (process.env.GRADE_IN_PROCESS) return;
  let work: WorkFolder;
  try {
    work = WorkFolder.create(projectRoot());
  } catch (e) {
    project.provide("d2lGradeTarget", { error: `cannot prepare the sandbox (${(e as Error).message}): run \`npm run build\` first` });
    return;
  }
  const dir = targetDir();
  const prepared = work.prepare(0, dir);
  project.provide("d2lGradeTarget", {
    spec: {
      id: displayPath(dir),
      sourceDir: prepared.sourceDir,
      runDir: prepared.runDir,
      libDir: work.libDir,
      display: displayPath(dir),
      timeoutMs: DEFAULTS.timeoutMs,
      callTimeoutMs: DEFAULTS.callTimeoutMs,
      retryTimeoutMs: DEFAULTS.retryTimeoutMs,
      memoryMb: DEFAULTS.memoryMb,
      syntaxErrors: prepared.syntaxErrors,
      hidden: true,
      warmSpare: false,
      // GRADE_SEED=n: the specs as an instructor's grading with seed n would run them (fresh cases too).
      seed: process.env.GRADE_SEED ? Number(process.env.GRADE_SEED) : null,
    },
    notes: prepared.notes,
  });
  return () => work.remove();
}
