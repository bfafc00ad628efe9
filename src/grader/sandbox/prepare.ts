/**
 * Everything a sandbox may read is prepared here, on the grader's side, in a work folder:
 *
 *   WORK/lib/            a copy of the built library (dist/ without the grader, the notebooks' live
 *                        loader and the plots), the codec and the sandbox's own script
 *   WORK/subs/<n>/src/   the submission's exercise files, copied: regular files only (a symbolic
 *                        link could point at the reference solutions), size-capped
 *   WORK/subs/<n>/run/   the same files compiled to CommonJS (types stripped); a file with a syntax
 *                        error is not compiled and its error is recorded
 *   WORK/subs/<n>/maps/  their source maps, read by the grader to show where an error was thrown
 *
 * The sandbox gets read access to WORK/lib and its own run/ folder, nothing else.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { syntaxErrorLines, transpile } from "../../live/transpile";

/** Largest exercise file we read (a hostile submission could be gigabytes). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** At most this many .ts files per submission. */
export const MAX_FILES = 64;

export interface PreparedSubmission {
  /** The copied .ts sources (what source checks and the type check read). */
  sourceDir: string;
  /** The compiled .js files (what the sandbox runs). */
  runDir: string;
  /** Exercise name → the syntax error that kept it from compiling. */
  syntaxErrors: Record<string, string>;
  /** Files that were not taken, and why (shown in the feedback). */
  notes: string[];
}

function makeDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755); // readable by the sandbox's uid, whatever the umask
}

/** Copies the parts of dist/ the library needs, plus the codec and the sandbox script. */
export function prepareLibrary(root: string, libDir: string): void {
  const dist = path.join(root, "dist");
  const skip = new Set(["grader", "exercises", "live", "plot"]);
  const copyTree = (from: string, to: string, top: boolean) => {
    makeDir(to);
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (top && skip.has(entry.name)) continue;
      const src = path.join(from, entry.name);
      const dst = path.join(to, entry.name);
      if (entry.isDirectory()) copyTree(src, dst, false);
      else if (entry.isFile() && /\.(js|json|wasm)$/.test(entry.name)) {
        fs.copyFileSync(src, dst);
        fs.chmodSync(dst, 0o644);
      }
    }
  };
  copyTree(dist, libDir, true);
  for (const [from, to] of [
    [path.join(dist, "grader", "codec.js"), "codec.js"],
    [path.join(dist, "grader", "sandbox", "child.js"), "sandbox-child.js"],
  ]) {
    fs.copyFileSync(from, path.join(libDir, to));
    fs.chmodSync(path.join(libDir, to), 0o644);
  }
}

/** TypeScript → CommonJS (../../live/transpile.ts), or the first syntax errors as one line. */
export function compile(source: string, name: string): { code: string; map: string } | { error: string } {
  const out = transpile(source, `${name}.ts`);
  return out.ok ? { code: out.code, map: out.map } : { error: `syntax error: ${syntaxErrorLines(`${name}.ts`, out.errors, 3).join("; ")}` };
}

/**
 * Copies and compiles one submission folder. `from` is untrusted: only regular `.ts` files at its
 * top level are taken (no links, nothing larger than MAX_FILE_BYTES).
 */
export function prepareSubmission(from: string, into: string): PreparedSubmission {
  const sourceDir = path.join(into, "src");
  const runDir = path.join(into, "run");
  const mapDir = path.join(into, "maps");
  makeDir(sourceDir);
  makeDir(runDir);
  makeDir(mapDir);
  const syntaxErrors: Record<string, string> = {};
  const notes: string[] = [];
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(from, { withFileTypes: true });
  } catch (e) {
    notes.push(`the submission folder could not be read: ${(e as Error).message}`);
  }
  let taken = 0;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
    const name = entry.name.slice(0, -3);
    if (!/^[A-Za-z0-9_][\w.-]*$/.test(name)) {
      notes.push(`${JSON.stringify(entry.name)}: not taken (unusual file name)`);
      continue;
    }
    const file = path.join(from, entry.name);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      notes.push(`${entry.name}: not taken — it is a symbolic link (submit the file itself)`);
      continue;
    }
    if (!stat.isFile()) continue;
    if (stat.size > MAX_FILE_BYTES) {
      notes.push(`${entry.name}: not taken — larger than ${MAX_FILE_BYTES / 1024} KB`);
      continue;
    }
    if (++taken > MAX_FILES) {
      notes.push(`${entry.name}: not taken — more than ${MAX_FILES} .ts files`);
      continue;
    }
    let source: string;
    try {
      // O_NOFOLLOW: the file cannot have been swapped for a link since lstat.
      const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
      try {
        source = fs.readFileSync(fd, "utf8");
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      notes.push(`${entry.name}: could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      continue;
    }
    if (Buffer.byteLength(source) > MAX_FILE_BYTES) continue;
    fs.writeFileSync(path.join(sourceDir, entry.name), source, { mode: 0o644 });
    const compiled = compile(source, name);
    if ("error" in compiled) syntaxErrors[name] = compiled.error;
    else {
      fs.writeFileSync(path.join(runDir, `${name}.js`), compiled.code, { mode: 0o644 });
      fs.writeFileSync(path.join(mapDir, `${name}.js.map`), compiled.map, { mode: 0o600 });
    }
  }
  return { sourceDir, runDir, syntaxErrors, notes };
}
