/**
 * One student's submission, collected: every file found (./tree.ts), the ones to grade chosen
 * (./choose.ts) and written, under their own names, into a folder of the grader's — which the
 * grading pipeline then copies and compiles as usual (../work.ts). What was not graded comes back as
 * notes, each with its reason.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
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

export async function collectStudent(member: Pick<ClassMember, "folder" | "zip">, into: string, stubs: ReadonlyMap<ExerciseId, string>): Promise<Collected> {
  const tree = await studentTree({ folder: member.folder, zip: member.zip });
  try {
    const chosen = await chooseFiles(tree.files, stubs);
    fs.mkdirSync(into, { recursive: true });
    const hash = createHash("sha256");
    for (const name of [...chosen.take.keys()].sort()) {
      const bytes = chosen.take.get(name)!;
      fs.writeFileSync(path.join(into, name), bytes, { mode: 0o644 });
      hash.update(`${name}\0${bytes.length}\0`).update(bytes);
    }
    return { dir: into, exercises: chosen.exercises, notes: [...tree.notes, ...chosen.notes], filesHash: hash.digest("hex") };
  } finally {
    tree.close();
  }
}
