/**
 * OUT/grades.csv, one row per student of the gradebook (and, with a roster, per roster student with
 * no submission): with a roster it is keyed by the student's id (`student_id,name,email,folder,…`),
 * without one by the submission folder (`student,…`). Then the autograded score and its maximum, one
 * column per exercise, the written answers graded by hand, late work, the final score, and the flags.
 */
import { inLang, type Lang } from "../i18n";
import { EXERCISES } from "../manifest";
import { csvLines } from "../export/csv";
import type { RosterEntry } from "../export/roster";
import type { Row } from "./rows";

export function gradesCsv(rows: readonly Row[], missing: readonly RosterEntry[], o: { roster: boolean; writtenMax: number; lang: Lang }): string {
  const ids = EXERCISES.map((e) => e.id);
  const key = o.roster ? ["student_id", "name", "email", "folder"] : ["student"];
  const head = [...key, "score", "max_score", ...ids, "written", "written_max", "late_days", "late_penalty_percent", "final", "final_max", "flags"];
  const lines: (string | number | null)[][] = [head];
  for (const r of rows) {
    const who = o.roster ? [r.roster?.id ?? "", r.roster?.name ?? "", r.roster?.email ?? "", r.record.id] : [r.record.id];
    const per = ids.map((id) => r.record.report.exercises.find((e) => e.id === id)?.score ?? 0);
    lines.push([
      ...who,
      r.score,
      r.max,
      ...per,
      r.written ? r.written.points : null,
      o.writtenMax || null,
      r.late ? r.late.days : 0,
      r.late ? Math.round(r.late.penalty * 100) : 0,
      r.final,
      r.finalMax,
      r.flags.map((f) => inLang(f.text, o.lang)).join("; "),
    ]);
  }
  for (const m of missing) lines.push([m.id, m.name, m.email, m.folder, ...head.slice(4, -1).map(() => null), inLang({ zh: "没有提交", en: "no submission" }, o.lang)]);
  return csvLines(lines);
}
