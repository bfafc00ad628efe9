/**
 * Where a copy's warm grader listens, and which build of the copy it serves: one per copy of the
 * project (the hash of its folder), in a folder only this user can open.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { specFiles } from "../paths";
import { EXERCISES } from "../manifest";

/** The folder of the user's warm graders: D2L_GRADE_SOCKET_DIR, else a private folder in the temp folder. */
export function warmDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.D2L_GRADE_SOCKET_DIR || path.join(os.tmpdir(), `d2l-grade-${process.getuid?.() ?? "user"}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function copyHash(root: string): string {
  let real = root;
  try {
    real = fs.realpathSync(root);
  } catch {
    // as given
  }
  return createHash("sha256").update(real).digest("hex").slice(0, 12);
}

/** The socket, the log and the pid file of `root`'s warm grader. */
export function warmPlace(root: string, env: NodeJS.ProcessEnv = process.env): { socket: string; log: string; pid: string } {
  const base = path.join(warmDir(env), copyHash(root));
  return { socket: `${base}.sock`, log: `${base}.log`, pid: `${base}.pid` };
}

const mtime = (f: string) => {
  try {
    return fs.statSync(f).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * What a warm grader must be restarted for: a new build of dist/, or changed specs, solutions or
 * recorded expected values. The student's exercise files are read anew on every request.
 */
export function buildVersion(root: string): string {
  let latest = mtime(path.join(root, "dist", ".build-stamp"));
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else latest = Math.max(latest, mtime(f));
    }
  };
  for (const e of EXERCISES) latest = Math.max(latest, mtime(specFiles(e.id).visible));
  walk(path.join(root, "test", "exercises", "support"));
  walk(path.join(root, "test", "exercises", "expected"));
  walk(path.join(root, "solutions"));
  return String(latest);
}
