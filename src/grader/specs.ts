/**
 * Which spec modules grade a submission, and the small test file that runs them for it: one file per
 * submission, which vitest runs (several per worker) and which calls ./spec/submission.ts with the
 * submission's `SubmissionSpec`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GraderError } from "./errors";
import type { Exercise } from "./manifest";
import { builtGraderDir, displayPath, projectRoot, specFiles } from "./paths";
import type { SpecModuleRef, SubmissionSpec } from "./protocol";
import { SANDBOX_FILES } from "./sandbox/prepare";

/** The spec modules to run: every visible one first, then (with `hidden`) the hidden ones. */
export function specModules(exercises: readonly Exercise[], hidden: boolean, which: "all" | "visible" | "hidden" = "all"): SpecModuleRef[] {
  const visible = which === "hidden" ? [] : exercises.map((e) => ({ file: specFiles(e.id).visible, exercise: e.id, hidden: false }));
  const instructor =
    hidden && which !== "visible" ? exercises.filter((e) => e.parts.some((p) => p.hidden)).map((e) => ({ file: specFiles(e.id).hidden, exercise: e.id, hidden: true })) : [];
  return [...visible, ...instructor];
}

/** The grader cannot run without vitest, the spec files and its built sandbox: say which is missing. */
export function checkSpecs(root: string, exercises: readonly Exercise[], hidden: boolean): void {
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
  for (const f of ["run-specs.js", ...SANDBOX_FILES]) {
    if (!fs.existsSync(path.join(builtGraderDir(), f))) throw new GraderError(`${displayPath(path.join(builtGraderDir(), f))} is missing: run \`npm run build\` first.`);
  }
}

/** Writes the test file of submission `index` into `specsDir`; returns its path. */
export function writeSubmissionFile(specsDir: string, index: number, spec: SubmissionSpec, modules: readonly SpecModuleRef[]): string {
  const entry = path.join(projectRoot(), "src", "grader", "spec", "submission.ts");
  const imports = modules.map((m) => `  { ...${JSON.stringify(m)}, load: () => import(${JSON.stringify(m.file)}) },`);
  const text =
    `// Written by src/grader/specs.ts: grades one submission.\n` +
    `import { gradeSubmission } from ${JSON.stringify(entry)};\n\n` +
    `await gradeSubmission(${JSON.stringify(spec)}, [\n${imports.join("\n")}\n]);\n`;
  // Zero-padded: vitest runs the files in name order when it has no timings.
  const file = path.join(specsDir, `${String(index).padStart(6, "0")}.grade.ts`);
  fs.writeFileSync(file, text);
  return file;
}
