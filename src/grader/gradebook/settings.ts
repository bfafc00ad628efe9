/**
 * What a grade depends on besides the student's files: the seed, the limits, the type check, and the
 * grader's own material — the specs (visible and hidden), the reference solutions, the stubs, the
 * manifest. `--resume` regrades a student when any of it changed since their row was graded: fixing a
 * hidden test regrades the class; passing the same command again regrades nobody.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface GradeSettings {
  seed: number | null;
  timeoutMs: number;
  callTimeoutMs: number | null;
  memoryMb: number | null;
  typecheck: boolean;
}

/** SHA-256 of the files that decide a grade, below the project root. */
export function graderFingerprint(root: string): string {
  const h = createHash("sha256");
  const add = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) if (name !== "grader" && name !== "node_modules") add(path.join(rel, name));
    } else if (/\.(ts|json)$/.test(rel)) h.update(`${rel}\0`).update(fs.readFileSync(abs));
  };
  for (const rel of ["src/grader/manifest.ts", "test/exercises", "solutions", "exercises"]) add(rel);
  return h.digest("hex");
}

export function settingsHash(s: GradeSettings, fingerprint: string): string {
  return createHash("sha256").update(JSON.stringify({ ...s, fingerprint })).digest("hex");
}
