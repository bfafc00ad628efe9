/**
 * The students of a submissions folder: each sub-folder is one (`ann/`), and so is each zip
 * (`olga.zip`); a folder and a zip of the same name are the same student's. Everything else at the
 * top — loose files, links, clutter — is listed as skipped, with the reason.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { refuse } from "../text-error";
import { text } from "../i18n";
import { isClutter, type FileNote } from "./tree";

export interface ClassMember {
  /** The student's name in the gradebook: the folder's name, or the zip's without `.zip`. */
  id: string;
  folder?: string;
  zip?: string;
}

export interface ClassListing {
  students: ClassMember[];
  /** What at the top of the submissions folder is not a student, and why. */
  skipped: FileNote[];
}

const byName = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function listClass(dir: string): ClassListing {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw refuse(`提交文件夹 ${dir} 不存在：请用 --submissions DIR 给出一个文件夹，每个学生一个子文件夹（或一个 .zip）`, `the submissions folder ${dir} does not exist: pass --submissions DIR, a folder with one sub-folder (or one .zip) per student`);
  }
  const members = new Map<string, ClassMember>();
  const skipped: FileNote[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (isClutter(entry.name)) continue; // .DS_Store, __MACOSX/, .git/: never a student
    if (entry.isSymbolicLink()) skipped.push({ file: entry.name, why: text("跳过：符号链接（不会跟随）", "skipped: a symbolic link (not followed)") });
    else if (entry.isDirectory() && fs.existsSync(path.join(abs, "gradebook.json"))) skipped.push({ file: entry.name, why: text("跳过：这是一个成绩册（--out 的文件夹），不是学生的提交", "skipped: a gradebook (a folder --out wrote), not a student's work") });
    else if (entry.isDirectory()) members.set(entry.name, { ...members.get(entry.name), id: entry.name, folder: abs });
    else if (entry.isFile() && /\.zip$/i.test(entry.name) && entry.name.length > 4) {
      const id = entry.name.slice(0, -4);
      members.set(id, { ...members.get(id), id, zip: abs });
    } else skipped.push({ file: entry.name, why: text("跳过：既不是学生的文件夹，也不是 .zip", "skipped: neither a student's folder nor a .zip") });
  }
  const students = [...members.values()].sort(byName);
  if (students.length === 0) {
    throw refuse(`${dir} 里没有提交：应该每个学生一个子文件夹（或一个 .zip），里面是该学生的练习文件`, `${dir} holds no submissions: it should have one sub-folder (or one .zip) per student, holding that student's exercise files`);
  }
  return { students, skipped };
}
