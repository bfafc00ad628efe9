/**
 * Everything a sandbox may read is prepared here, on the grader's side, in a work folder:
 *
 *   WORK/lib/            a copy of the built library (dist/ without the grader, the notebooks' live
 *                        loader and the plots)
 *   WORK/lib/grader/     the sandbox's own script (sandbox/child.js) and what it loads into each realm
 *                        (sandbox/realm.js, sandbox/in-realm.js, invoke, codec, capabilities)
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
import { text, type Text } from "../i18n";
import { syntaxErrorLines, transpile } from "../../live/transpile";

/**
 * What is taken from a submission folder (a hostile one could hold gigabytes, or a million files).
 * An exercise file is a few KB; these leave room for any honest work.
 */
export const CAPS = Object.freeze({
  /** Largest .ts file taken. */
  fileBytes: 256 * 1024,
  /** All the .ts files of one submission, together. */
  totalBytes: 1024 * 1024,
  /** .ts files taken (the exercise files first, then others by name). */
  files: 32,
  /** Folder entries looked at when searching for other .ts files (helpers). */
  entries: 10_000,
  /** Notes kept about files not taken (the rest are counted). */
  notes: 20,
});

export interface PreparedSubmission {
  /** The copied .ts sources (what source checks and the type check read). */
  sourceDir: string;
  /** The compiled .js files (what the sandbox runs). */
  runDir: string;
  /** Exercise name → the syntax error that kept it from compiling. */
  syntaxErrors: Record<string, string>;
  /** Files that were not taken, and why (shown in the feedback). */
  notes: Text[];
}

function makeDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755); // readable by the sandbox's uid, whatever the umask
}

/** What of dist/grader/ runs in the sandbox process: its script and the modules it loads. */
export const SANDBOX_FILES = ["sandbox/child.js", "sandbox/realm.js", "sandbox/in-realm.js", "sandbox/deny.js", "invoke.js", "codec.js", "capabilities.js", "i18n.js", "trace/record.js", "trace/ops.js", "trace/rules.js"];

/** Copies the parts of dist/ the library needs, plus the sandbox's script and what it loads. */
export function prepareLibrary(root: string, libDir: string): void {
  const dist = path.join(root, "dist");
  const skip = new Set(["grader", "exercises", "live", "plot", "html"]);
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
  // The sandbox's side of the grader, at the same relative places as in dist/grader.
  for (const file of SANDBOX_FILES) {
    const to = path.join(libDir, "grader", file);
    makeDir(path.dirname(to));
    fs.copyFileSync(path.join(dist, "grader", file), to);
    fs.chmodSync(to, 0o644);
  }
}

/** TypeScript → CommonJS (../../live/transpile.ts), or the first syntax errors as one line. */
export function compile(source: string, name: string): { code: string; map: string } | { error: string } {
  const out = transpile(source, `${name}.ts`);
  return out.ok ? { code: out.code, map: out.map } : { error: `syntax error: ${syntaxErrorLines(`${name}.ts`, out.errors, 3).join("; ")}` };
}

/** Notes with a cap: the first few in full, then a count. */
class Notes {
  readonly list: Text[] = [];
  private more = 0;
  add(note: Text): void {
    if (this.list.length < CAPS.notes) this.list.push(note);
    else this.more++;
  }
  done(): Text[] {
    const more = text(`……另有 ${this.more} 个文件没有收取（最多保留 ${CAPS.notes} 条说明）`, `… and ${this.more} more files not taken (at most ${CAPS.notes} notes are kept)`);
    return this.more ? [...this.list, more] : this.list;
  }
}

/** At most `max` bytes of a regular file, never following a link; null when larger (or unreadable: the reason). */
function readCapped(file: string, max: number): { text: string } | { tooLarge: true } | { error: string } {
  let fd: number;
  try {
    // O_NOFOLLOW: the file cannot have been swapped for a link since lstat.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { error: "not a regular file" };
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= max; length += n) n = fs.readSync(fd, buffer, length, max + 1 - length, null);
    if (length > max) return { tooLarge: true };
    return { text: buffer.subarray(0, length).toString("utf8") };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  } finally {
    fs.closeSync(fd);
  }
}

/** The names of the .ts files to look at: the exercise files that exist, then others by name. */
function candidates(from: string, exerciseFiles: readonly string[], notes: Notes): string[] {
  const names: string[] = [];
  for (const f of exerciseFiles) {
    try {
      fs.lstatSync(path.join(from, f));
      names.push(f);
    } catch {
      // not attempted
    }
  }
  const others: string[] = [];
  let dir: fs.Dir;
  try {
    dir = fs.opendirSync(from);
  } catch (e) {
    notes.add(text(`提交的文件夹无法读取：${(e as Error).message}`, `the submission folder could not be read: ${(e as Error).message}`));
    return names;
  }
  try {
    let seen = 0;
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) {
      if (++seen > CAPS.entries) {
        notes.add(text(`文件夹里有超过 ${CAPS.entries} 个条目：只看了练习文件和前 ${CAPS.entries} 个条目中的 .ts 文件`, `the folder holds more than ${CAPS.entries} entries: only the exercise files and .ts files among the first ${CAPS.entries} were looked at`));
        break;
      }
      if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !exerciseFiles.includes(entry.name)) others.push(entry.name);
    }
  } finally {
    dir.closeSync();
  }
  return [...names, ...others.sort()];
}

/**
 * Copies and compiles one submission folder. `from` is untrusted: only regular `.ts` files at its
 * top level are taken — the exercise files (`exerciseFiles`) first — no links, within CAPS.
 */
export function prepareSubmission(from: string, into: string, exerciseFiles: readonly string[] = []): PreparedSubmission {
  const sourceDir = path.join(into, "src");
  const runDir = path.join(into, "run");
  const mapDir = path.join(into, "maps");
  makeDir(sourceDir);
  makeDir(runDir);
  makeDir(mapDir);
  const syntaxErrors: Record<string, string> = {};
  const notes = new Notes();
  let taken = 0;
  let bytes = 0;
  for (const fileName of candidates(from, exerciseFiles, notes)) {
    const name = fileName.slice(0, -3);
    const shown = JSON.stringify(fileName).slice(1, -1);
    if (!/^[A-Za-z0-9_][\w.-]*$/.test(name)) {
      notes.add(text(`"${shown}"：没有收取（文件名不寻常）`, `"${shown}": not taken (unusual file name)`));
      continue;
    }
    const file = path.join(from, fileName);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(file);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      notes.add(text(`${fileName}：没有收取——它是符号链接（请提交文件本身）`, `${fileName}: not taken — it is a symbolic link (submit the file itself)`));
      continue;
    }
    if (!stat.isFile()) continue;
    if (stat.size > CAPS.fileBytes) {
      notes.add(text(`${fileName}：没有收取——大于 ${CAPS.fileBytes / 1024} KB`, `${fileName}: not taken — larger than ${CAPS.fileBytes / 1024} KB`));
      continue;
    }
    if (taken >= CAPS.files) {
      notes.add(text(`${fileName}：没有收取——.ts 文件超过 ${CAPS.files} 个`, `${fileName}: not taken — more than ${CAPS.files} .ts files`));
      continue;
    }
    if (bytes + stat.size > CAPS.totalBytes) {
      notes.add(text(`${fileName}：没有收取——提交的 .ts 文件加起来会超过 ${CAPS.totalBytes / 1024} KB`, `${fileName}: not taken — the submission's .ts files would pass ${CAPS.totalBytes / 1024} KB in all`));
      continue;
    }
    const read = readCapped(file, Math.min(CAPS.fileBytes, CAPS.totalBytes - bytes));
    if ("error" in read) {
      notes.add(text(`${fileName}：无法读取（${read.error}）`, `${fileName}: could not be read (${read.error})`));
      continue;
    }
    if ("tooLarge" in read) {
      notes.add(text(`${fileName}：没有收取——读取时它变得超过了大小上限`, `${fileName}: not taken — it grew past the size limit while being read`));
      continue;
    }
    taken++;
    bytes += Buffer.byteLength(read.text);
    fs.writeFileSync(path.join(sourceDir, fileName), read.text, { mode: 0o644 });
    const compiled = compile(read.text, name);
    if ("error" in compiled) syntaxErrors[name] = compiled.error;
    else {
      fs.writeFileSync(path.join(runDir, `${name}.js`), compiled.code, { mode: 0o644 });
      fs.writeFileSync(path.join(mapDir, `${name}.js.map`), compiled.map, { mode: 0o600 });
    }
  }
  return { sourceDir, runDir, syntaxErrors, notes: notes.done() };
}
