/**
 * One student's submission, collected: every file found (./tree.ts), the ones to grade chosen
 * (./choose.ts) and written, under their own names, into a folder of the grader's — which the
 * grading pipeline then copies and compiles as usual (../work.ts). What was not graded comes back as
 * notes, each with its reason.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { text } from "../i18n";
import { EXERCISES, type ExerciseId } from "../manifest";
import { chooseFiles, digest, type ExerciseFile } from "./choose";
import type { ClassMember } from "./class";
import { studentTree, type FileNote } from "./tree";

export interface Collected {
  /** The folder holding the files to grade. */
  dir: string;
  exercises: Record<ExerciseId, ExerciseFile>;
  notes: FileNote[];
  /** SHA-256 of what is graded (names and bytes): the same files give the same hash. */
  filesHash: string;
}

/** Each exercise's released stub, as ./choose.ts compares it (the project's exercises/). */
export function loadStubs(root: string): Map<ExerciseId, string> {
  const stubs = new Map<ExerciseId, string>();
  for (const e of EXERCISES) {
    const file = path.join(root, "exercises", `${e.id}.ts`);
    if (fs.existsSync(file)) stubs.set(e.id, digest(fs.readFileSync(file)));
  }
  return stubs;
}

/** Notes kept per student (the most useful first: exercise copies and close names); then a count. */
export const MAX_NOTES = 20;

function capNotes(notes: FileNote[]): FileNote[] {
  const clutter = notes.filter((n) => n.clutter);
  const real = notes.filter((n) => !n.clutter);
  if (real.length <= MAX_NOTES) return [...real, ...clutter];
  const more = real.length - MAX_NOTES;
  return [...real.slice(0, MAX_NOTES), { file: "…", why: text(`还有 ${more} 个文件没有评分（只列出前 ${MAX_NOTES} 个）`, `and ${more} more files not graded (the first ${MAX_NOTES} are listed)`) }, ...clutter];
}

export async function collectStudent(member: Pick<ClassMember, "folder" | "zip">, into: string, stubs: ReadonlyMap<ExerciseId, string>): Promise<Collected> {
  const tree = await studentTree({ folder: member.folder, zip: member.zip }, EXERCISES.map((e) => `${e.id}.ts`));
  try {
    const chosen = await chooseFiles(tree.files, stubs);
    fs.mkdirSync(into, { recursive: true });
    const hash = createHash("sha256");
    for (const name of [...chosen.take.keys()].sort()) {
      const bytes = chosen.take.get(name)!;
      fs.writeFileSync(path.join(into, name), bytes, { mode: 0o644 });
      hash.update(`${name}\0${bytes.length}\0`).update(bytes);
    }
    return { dir: into, exercises: chosen.exercises, notes: capNotes([...chosen.notes, ...tree.notes, ...chosen.others]), filesHash: hash.digest("hex") };
  } finally {
    tree.close();
  }
}
