/**
 * Written answers graded by hand. The gradebook keeps OUT/manual-points.csv — one row per student and
 * question, columns `student,question,points,max_points,comment` — for the TA to fill in while
 * reading OUT/written-answers.html. The grader creates the file and, on later runs, only appends rows
 * for students or questions it does not have yet: it never changes a row the TA wrote. Every run reads
 * it and adds the points to grades.csv (`written`, `written_max`, and the total).
 *
 * A question's maximum is the largest max_points written in any of its rows (so one row per question
 * is enough). Unknown students or questions and cells that are not numbers are reported, not guessed.
 */
import type { Text } from "../i18n";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXERCISES, type ExerciseId } from "../manifest";
import { text } from "../i18n";
import { cellText, csvLines, readCsv } from "../export/csv";
import { writeFileAtomic, type StudentRecord } from "./record";

export const MANUAL_FILE = "manual-points.csv";
const HEADER = ["student", "question", "points", "max_points", "comment"];

export interface Question {
  /** "max-vs-avg/answer": how the CSV names it. */
  key: string;
  exercise: ExerciseId;
  part: string;
  title: Text;
}

/** The written-answer questions: the manifest's 0-point parts. */
export function writtenQuestions(): Question[] {
  return EXERCISES.flatMap((e) => e.parts.filter((p) => p.points === 0).map((p) => ({ key: `${e.id}/${p.key}`, exercise: e.id, part: p.key, title: p.title })));
}

export interface StudentManual {
  points: number;
  /** Answers with points written (of `questions`). */
  graded: number;
  comments: Map<string, string>;
  byQuestion: Map<string, number>;
}

export interface ManualPoints {
  byStudent: Map<string, StudentManual>;
  /** Question key → its maximum (questions without one are left out). */
  max: Map<string, number>;
  /** Sum of the maxima: the written answers' part of the total. */
  maxTotal: number;
  warnings: string[];
}

/** Creates manual-points.csv, or appends the rows it lacks; returns how many rows were added. */
export function syncManualFile(outDir: string, records: readonly StudentRecord[]): number {
  const file = path.join(outDir, MANUAL_FILE);
  const questions = writtenQuestions();
  const have = new Set<string>();
  let before = "";
  if (fs.existsSync(file)) {
    before = fs.readFileSync(file, "utf8");
    for (const row of readCsv(file, text("人工评分表", "the manual points")).rows) have.add(`${row.student}\0${row.question}`);
  }
  const rows: string[][] = [];
  // A name is compared as the sheet shows it ('=x for =x, \x1b for ESC): read back, that is what it says.
  for (const r of records) for (const q of questions) if (!have.has(`${cellText(r.id)}\0${q.key}`)) rows.push([r.id, q.key, "", "", ""]);
  if (rows.length === 0 && before) return 0;
  const head = before ? "" : csvLines([HEADER]);
  const sep = before && !/\n$/.test(before) ? "\r\n" : "";
  writeFileAtomic(file, before + sep + head + (rows.length ? csvLines(rows) : ""));
  return rows.length;
}

export function readManual(outDir: string, studentIds: ReadonlySet<string>): ManualPoints {
  // The sheet shows names as cellText makes them: map them back to the gradebook's names.
  const byShown = new Map([...studentIds].map((id) => [cellText(id), id]));
  const file = path.join(outDir, MANUAL_FILE);
  const out: ManualPoints = { byStudent: new Map(), max: new Map(), maxTotal: 0, warnings: [] };
  if (!fs.existsSync(file)) return out;
  const questions = new Set(writtenQuestions().map((q) => q.key));
  let rows: Record<string, string>[];
  try {
    rows = readCsv(file, text("人工评分表", "the manual points")).rows;
  } catch (e) {
    out.warnings.push((e as Error).message);
    return out;
  }
  const number = (cell: string, where: string): number | null => {
    if (cell === "") return null;
    const n = Number(cell.replace(",", "."));
    if (!Number.isFinite(n) || n < 0) {
      out.warnings.push(`${MANUAL_FILE} ${where}: ${JSON.stringify(cell)} is not a number of points ≥ 0 — left out`);
      return null;
    }
    return n;
  };
  rows.forEach((row, i) => {
    const where = `line ${i + 2}`;
    const q = row.question ?? "";
    if (!questions.has(q)) return void (q && out.warnings.push(`${MANUAL_FILE} ${where}: no question ${JSON.stringify(q)} (the questions are ${[...questions].join(", ")}) — left out`));
    const max = number(row.maxpoints ?? "", where);
    if (max !== null) out.max.set(q, Math.max(out.max.get(q) ?? 0, max));
    const points = number(row.points ?? "", where);
    if (points === null) return;
    const id = byShown.get(row.student);
    if (id === undefined) return void out.warnings.push(`${MANUAL_FILE} ${where}: no student ${JSON.stringify(row.student)} in the gradebook — left out`);
    const s = out.byStudent.get(id) ?? { points: 0, graded: 0, comments: new Map(), byQuestion: new Map() };
    if (s.byQuestion.has(q)) return void out.warnings.push(`${MANUAL_FILE} ${where}: ${JSON.stringify(row.student)} has points for ${q} twice — the first are used`);
    s.byQuestion.set(q, points);
    s.points += points;
    s.graded++;
    if (row.comment) s.comments.set(q, row.comment);
    out.byStudent.set(id, s);
  });
  for (const [id, s] of out.byStudent) {
    for (const [q, p] of s.byQuestion) {
      const max = out.max.get(q);
      if (max === undefined) out.warnings.push(`${MANUAL_FILE}: ${q} has points but no max_points in any row — write its maximum in one row`);
      else if (p > max) {
        // Not capped to the maximum (that would be a guess at what was meant): left out, and said.
        out.warnings.push(`${MANUAL_FILE}: ${JSON.stringify(id)} has ${p} points for ${q}, more than its max_points ${max} — left out`);
        s.byQuestion.delete(q);
        s.comments.delete(q);
        s.points -= p;
        s.graded--;
      }
    }
  }
  out.warnings = [...new Set(out.warnings)];
  out.maxTotal = [...out.max.values()].reduce((a, b) => a + b, 0);
  return out;
}
