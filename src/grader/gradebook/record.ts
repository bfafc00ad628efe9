/**
 * One student's row in the gradebook, as a file: OUT/students/<dir>/record.json holds everything the
 * pages, grades.csv and the report are made from — the grading's report, which files were graded and
 * what was not, the hashes that say whether a regrade is needed. Pages are made again from records on
 * every run, so a run that grades one student rewrites nobody else's grade.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ExerciseFile } from "../collect/choose";
import type { FileNote } from "../collect/tree";
import type { GradeReport } from "../grade";
import type { ExerciseId } from "../manifest";

export const RECORD_FILE = "record.json";

export interface StudentRecord {
  format: 1;
  /** The student's name in the gradebook (their folder, or their zip without .zip): their own text. */
  id: string;
  /** Their folder under OUT/students/ (./record.ts studentDirName). */
  dir: string;
  gradedAt: string;
  /** SHA-256 of the files graded (../collect/collect.ts). */
  filesHash: string;
  /** SHA-256 of the settings graded with (seed, limits, the grader's specs and solutions). */
  settingsHash: string;
  seed: number | null;
  /** False while the type check has not finished (an interrupted run): --resume grades it again. */
  complete: boolean;
  exercises: Record<ExerciseId, ExerciseFile>;
  /** Files not graded, and why. */
  fileNotes: FileNote[];
  syntaxErrors: Record<string, string>;
  report: GradeReport;
  /** The submissions folder it was graded from (absolute; not in any page): a later run from another one says so. */
  from?: string;
}

/**
 * The folder of a student under OUT/students/: their name when it is plain lower-case (`ann`), else a
 * plain form of it and a hash (`ann~3f2a9c1b` for `Ann`, `_~9b…` for `<script>`): never a path, never
 * two folders that differ only in case (macOS and Windows would merge them), never one of the
 * gradebook's own files.
 */
export function studentDirName(id: string): string {
  if (/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id) && !id.endsWith(".")) return id;
  const plain = id.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 40) || "_";
  return `${plain}~${createHash("sha256").update(id).digest("hex").slice(0, 10)}`;
}

export function recordPath(outDir: string, dir: string): string {
  return path.join(outDir, "students", dir, RECORD_FILE);
}

export function writeFileAtomic(file: string, text: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * writeFileAtomic, unless the file already holds exactly this: a regrade of one student leaves every
 * other student's pages as they were (their times too — what syncs or mails pages by time sends only
 * what changed).
 */
export function writeFileIfChanged(file: string, text: string): void {
  try {
    if (fs.readFileSync(file, "utf8") === text) return;
  } catch {
    // not there yet
  }
  writeFileAtomic(file, text);
}

export function writeRecord(outDir: string, record: StudentRecord): void {
  fs.mkdirSync(path.join(outDir, "students", record.dir), { recursive: true });
  writeFileAtomic(recordPath(outDir, record.dir), `${JSON.stringify(record)}\n`);
}

/** Every record of the gradebook, by name; records that cannot be read are listed, not fatal. */
export function readRecords(outDir: string): { records: StudentRecord[]; unreadable: string[] } {
  const records: StudentRecord[] = [];
  const unreadable: string[] = [];
  const dir = path.join(outDir, "students");
  if (!fs.existsSync(dir)) return { records, unreadable };
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, RECORD_FILE);
    if (!fs.existsSync(file)) continue;
    try {
      const r = JSON.parse(fs.readFileSync(file, "utf8")) as StudentRecord;
      if (r.format !== 1 || typeof r.id !== "string" || r.dir !== name) throw new Error("not a student record");
      records.push(r);
    } catch (e) {
      unreadable.push(`students/${name}/${RECORD_FILE}: ${(e as Error).message}`);
    }
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { records, unreadable };
}
