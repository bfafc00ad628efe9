/**
 * Every file of one student's submission, from their folder and their zips, as one list of paths —
 * read from nothing but lstat, readdir and capped reads (./zip.ts): links are not followed, special
 * files not opened, system clutter (`__MACOSX/`, `.DS_Store`, `.git/`, `node_modules/`) left out.
 * A zip's contents count as if unpacked where the zip is ("extract here"); a zip inside a zip is not
 * opened. What was left out, and why, comes back as notes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { text, type Text } from "../i18n";
import { listZip, type ZipListing } from "./zip";

export const TREE_CAPS = Object.freeze({
  /** Folder levels looked into below the student's folder (exercises/ is 1; a zip's wrapper folder 2). */
  depth: 4,
  /** Folder and zip entries looked at, all together. */
  entries: 10_000,
  /** Zips opened per student. */
  zips: 4,
});

export interface FoundFile {
  /** Where it is in the submission, forward slashes: "exercises/min-pool.ts"; inside a zip "pat.zip ▸ min-pool.ts". */
  shown: string;
  /** The folder it counts in ("" = the top), zips unpacked where they are. */
  folder: string;
  name: string;
  size: number;
  /** Its bytes, or why not (larger than `max`, unreadable). */
  read(max: number): Promise<Buffer | { error: Text }>;
}

export interface FileNote {
  /** The file or folder, as the student named it (their text: shown escaped). */
  file: string;
  why: Text;
  /** Clutter a zip tool or an OS adds (`__MACOSX/`, `.DS_Store`): listed once, never flagged. */
  clutter?: boolean;
}

export interface StudentTree {
  files: FoundFile[];
  notes: FileNote[];
  /** Close the zips (after reading). */
  close(): void;
}

/** Names that are an operating system's or a tool's, never a student's work. */
export function isClutter(name: string): boolean {
  return name.startsWith(".") || name === "__MACOSX" || name === "node_modules" || name === "Thumbs.db" || name === "desktop.ini";
}

const join = (folder: string, name: string) => (folder ? `${folder}/${name}` : name);

function readFile(file: string, max: number): Buffer | { error: Text } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { error: text(`无法读取（${(e as NodeJS.ErrnoException).code ?? ""}）`, `could not be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`) };
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { error: text("不是普通文件", "not a regular file") };
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= max; length += n) n = fs.readSync(fd, buffer, length, max + 1 - length, null);
    if (length > max) return { error: text(`超过 ${max / 1024} KB`, `larger than ${max / 1024} KB`) };
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

class Walk {
  readonly files: FoundFile[] = [];
  readonly notes: FileNote[] = [];
  readonly zips: ZipListing[] = [];
  private seen = 0;
  private full = false;
  private zipCount = 0;

  constructor(private readonly exerciseNames: readonly string[]) {}

  /** Counts one entry; false (once noted) when the cap is reached. */
  private count(): boolean {
    if (++this.seen <= TREE_CAPS.entries) return true;
    if (!this.full) this.notes.push({ file: "…", why: text(`只看了前 ${TREE_CAPS.entries} 个文件和文件夹`, `only the first ${TREE_CAPS.entries} files and folders were looked at`) });
    this.full = true;
    return false;
  }

  async folder(dir: string, folder: string, depth: number): Promise<void> {
    // Read with a cap (a hostile folder may hold millions of names), then sorted: the same files in
    // the same order on every machine.
    const entries: fs.Dirent[] = [];
    let more = false;
    try {
      const d = fs.opendirSync(dir);
      try {
        for (let e = d.readSync(); e; e = d.readSync()) {
          if (!this.count()) {
            more = true;
            break;
          }
          entries.push(e);
        }
      } finally {
        d.closeSync();
      }
    } catch (e) {
      this.notes.push({ file: folder || ".", why: text(`无法读取此文件夹（${(e as Error).message}）`, `this folder could not be read (${(e as Error).message})`) });
      return;
    }
    // Past the cap, the exercise files are still looked up by name.
    if (more) for (const name of this.exerciseNames) if (!entries.some((e) => e.name === name)) this.lookUp(dir, name, entries);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = join(folder, entry.name);
      const abs = path.join(dir, entry.name);
      if (isClutter(entry.name)) {
        this.notes.push({ file: entry.isDirectory() ? `${rel}/` : rel, why: text("跳过：系统或工具生成的文件", "skipped: made by the system or a tool"), clutter: true });
      } else if (entry.isSymbolicLink()) {
        this.notes.push({ file: rel, why: text("没有评分：这是符号链接（请提交文件本身）", "not graded: a symbolic link (submit the file itself)") });
      } else if (entry.isDirectory()) {
        if (depth >= TREE_CAPS.depth) this.notes.push({ file: `${rel}/`, why: text("没有查看：文件夹层级太深", "not looked into: too many folders deep") });
        else await this.folder(abs, rel, depth + 1);
      } else if (!entry.isFile()) {
        this.notes.push({ file: rel, why: text("没有评分：不是普通文件", "not graded: not a regular file") });
      } else if (/\.zip$/i.test(entry.name)) {
        await this.zip(abs, rel, folder);
      } else {
        let size = 0;
        try {
          size = fs.lstatSync(abs).size;
        } catch {
          // gone since readdir: read() will say so
        }
        this.files.push({ shown: rel, folder, name: entry.name, size, read: async (max) => readFile(abs, max) });
      }
    }
  }

  /** An exercise file looked up by name (lstat: a link stays a link). */
  private lookUp(dir: string, name: string, into: fs.Dirent[]): void {
    try {
      const st = fs.lstatSync(path.join(dir, name));
      into.push(Object.assign(Object.create(fs.Dirent.prototype) as fs.Dirent, { name, isFile: () => st.isFile(), isDirectory: () => st.isDirectory(), isSymbolicLink: () => st.isSymbolicLink() }));
    } catch {
      // not there
    }
  }

  /** A zip's files, counted in `folder` (where the zip is). */
  async zip(file: string, shown: string, folder: string): Promise<void> {
    if (++this.zipCount > TREE_CAPS.zips) {
      this.notes.push({ file: shown, why: text(`没有打开：最多打开 ${TREE_CAPS.zips} 个压缩包`, `not opened: at most ${TREE_CAPS.zips} zips are opened`) });
      return;
    }
    const listing = await listZip(file);
    if (listing.refused) {
      this.notes.push({ file: shown, why: listing.refused });
      return;
    }
    this.zips.push(listing);
    for (const s of listing.skipped) this.notes.push({ file: `${shown} ▸ ${s.path}`, why: s.why });
    for (const entry of listing.entries) {
      if (!this.count()) return;
      const parts = entry.path.split("/");
      const name = parts.pop()!;
      const inner = `${shown} ▸ ${entry.path}`;
      if (parts.some(isClutter) || isClutter(name)) {
        this.notes.push({ file: inner, why: text("跳过：系统或工具生成的文件", "skipped: made by the system or a tool"), clutter: true });
      } else if (parts.length > TREE_CAPS.depth) {
        this.notes.push({ file: inner, why: text("没有查看：文件夹层级太深", "not looked into: too many folders deep") });
      } else if (/\.zip$/i.test(name)) {
        this.notes.push({ file: inner, why: text("没有打开：压缩包里的压缩包", "not opened: a zip inside a zip") });
      } else {
        this.files.push({ shown: inner, folder: join(folder, parts.join("/")).replace(/\/$/, ""), name, size: entry.size, read: entry.read });
      }
    }
  }
}

/**
 * The files of one student: their folder (if any) and a zip beside it (`<student>.zip`, if any).
 * Clutter notes are merged into one per kind of name, so `__MACOSX/` with a thousand files is one line.
 */
export async function studentTree(sources: { folder?: string; zip?: string; zipShown?: string }, exerciseNames: readonly string[] = []): Promise<StudentTree> {
  const walk = new Walk(exerciseNames);
  if (sources.folder) await walk.folder(sources.folder, "", 0);
  if (sources.zip) await walk.zip(sources.zip, sources.zipShown ?? path.basename(sources.zip), "");
  const clutter = walk.notes.filter((n) => n.clutter);
  const merged = clutter.length ? [{ file: [...new Set(clutter.map((n) => n.file.split(" ▸ ").pop()!.split("/").find((p) => isClutter(p)) ?? n.file))].slice(0, 5).join(", ") + (clutter.length > 5 ? ", …" : ""), why: clutter[0].why, clutter: true }] : [];
  return {
    files: walk.files,
    notes: [...walk.notes.filter((n) => !n.clutter), ...merged],
    close: () => walk.zips.forEach((z) => z.close()),
  };
}
