/**
 * A gradebook row: a student's record with what the class and the TA add to it — flags, the
 * roster's id and name, hand-graded written answers, late work — and the final score. grades.csv,
 * the report and the LMS exports all read rows, so they cannot disagree.
 */
import { text } from "../i18n";
import { lateness, type LateRule, type Lateness } from "../export/late";
import { rosterEntry, type RosterEntry } from "../export/roster";
import type { Flag } from "./flags";
import type { ManualPoints, StudentManual } from "./manual";
import type { StudentRecord } from "./record";

export interface Row {
  record: StudentRecord;
  roster: RosterEntry | null;
  flags: Flag[];
  written: StudentManual | null;
  /** null: on time, or no deadline or no submission time known. */
  late: Lateness | null;
  /** The autograded score (hidden tests included) and its maximum. */
  score: number;
  max: number;
  /** (score + written) less the late penalty, and its maximum (max + the written answers' maxima). */
  final: number;
  finalMax: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function lateText(l: Lateness): Flag["text"] {
  const hours = l.seconds / 3600;
  const howLong = hours < 24 ? text(`${Math.max(1, Math.round(hours))} 小时`, `${Math.max(1, Math.round(hours))} h`) : text(`${l.days} 天`, `${l.days} day${l.days > 1 ? "s" : ""}`);
  const cost = l.penalty > 0 ? text(`，扣 ${Math.round(l.penalty * 100)}%`, `, −${Math.round(l.penalty * 100)}%`) : text("（迟交政策：不扣分）", " (late policy: none)");
  return text(`迟交 ${howLong.zh}${cost.zh}`, `late ${howLong.en}${cost.en}`);
}

export function makeRows(records: readonly StudentRecord[], flags: ReadonlyMap<string, Flag[]>, roster: readonly RosterEntry[] | null, rule: LateRule | null, manual: ManualPoints): Row[] {
  return records.map((record) => {
    const entry = rosterEntry(roster, record.id);
    const rowFlags = [...(flags.get(record.id) ?? [])];
    if (roster && !entry) rowFlags.push({ code: "roster", text: text("不在名单（roster）上", "not on the roster") });
    let late: Lateness | null = null;
    const deadline = entry?.dueAt || rule?.deadline;
    if (rule && deadline && entry?.submittedAt) {
      const l = lateness(new Date(entry.submittedAt), new Date(deadline), rule);
      if (l.days > 0) {
        late = l;
        rowFlags.push({ code: "late", text: lateText(l) });
      }
    }
    const written = manual.byStudent.get(record.id) ?? null;
    const score = record.report.score;
    const max = record.report.max;
    const final = round2((score + (written?.points ?? 0)) * (1 - (late?.penalty ?? 0)));
    return { record, roster: entry, flags: rowFlags, written, late, score, max, final, finalMax: max + manual.maxTotal };
  });
}

/** Roster students with no submission in the gradebook. */
export function missingStudents(records: readonly StudentRecord[], roster: readonly RosterEntry[] | null): RosterEntry[] {
  if (!roster) return [];
  const ids = new Set(records.map((r) => rosterEntry(roster, r.id)).filter((e): e is RosterEntry => !!e));
  return roster.filter((e) => !ids.has(e));
}
