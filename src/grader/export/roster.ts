/**
 * The class roster: which submission folder is which student. `--roster roster.csv` with a header
 * row naming (in any order, any case; the first name found of each list is used):
 *
 *   folder        folder, submission, login, username, github_username, student_repository_name
 *   id            id, student_id, sis_user_id, roster_identifier, id_number, 学号
 *   name          name, full_name, student, 姓名           (optional)
 *   email         email, email_address, 邮箱               (optional)
 *   section       section, 班级                             (optional)
 *   submitted_at  submitted_at, submission_time, submission_timestamp   (optional: marks late work)
 *   due_at        due_at, due, extension_until              (optional: this student's own deadline)
 *
 * GitHub Classroom's and most LMS exports have these under one of those names.
 */
import { refuse } from "../text-error";
import { text } from "../i18n";
import { headerKey, readCsv } from "./csv";

export interface RosterEntry {
  folder: string;
  id: string;
  name: string;
  email: string;
  section: string;
  /** ISO time of the submission, or "" (unknown). */
  submittedAt: string;
  /** This student's own deadline (an extension), ISO, or "". */
  dueAt: string;
}

const COLUMNS: Record<keyof RosterEntry, string[]> = {
  folder: ["folder", "submission", "login", "username", "github_username", "student_repository_name"],
  id: ["id", "student_id", "sis_user_id", "roster_identifier", "id_number", "学号"],
  name: ["name", "full_name", "student", "姓名"],
  email: ["email", "email_address", "邮箱"],
  section: ["section", "班级"],
  submittedAt: ["submitted_at", "submission_time", "submission_timestamp"],
  dueAt: ["due_at", "due", "extension_until"],
};

export interface Roster {
  entries: RosterEntry[];
  warnings: string[];
}

export function readRoster(file: string): Roster {
  const { headers, rows } = readCsv(file, text("名单", "the roster"));
  const column = (field: keyof RosterEntry) => COLUMNS[field].map(headerKey).find((h) => headers.includes(h)) ?? null;
  const folderCol = column("folder");
  const idCol = column("id");
  if (!folderCol || !idCol) {
    const [folders, ids, header] = [COLUMNS.folder.join(", "), COLUMNS.id.join(", "), headers.join(", ")];
    throw refuse(
      `名单 ${file} 需要一列提交文件夹名（${folders}）和一列学号（${ids}）；它的表头是：${header || "（空）"}`,
      `the roster ${file} needs a column for the submission folder (${folders}) and one for the student id (${ids}); its header is: ${header || "(empty)"}`,
    );
  }
  const cols = Object.fromEntries((Object.keys(COLUMNS) as (keyof RosterEntry)[]).map((f) => [f, column(f)])) as Record<keyof RosterEntry, string | null>;
  const entries: RosterEntry[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const get = (f: keyof RosterEntry) => (cols[f] ? (row[cols[f]!] ?? "") : "");
    const entry: RosterEntry = { folder: get("folder"), id: get("id"), name: get("name"), email: get("email"), section: get("section"), submittedAt: get("submittedAt"), dueAt: get("dueAt") };
    const line = i + 2;
    if (!entry.folder) return void warnings.push(`roster line ${line}: no folder name — left out`);
    if (seen.has(entry.folder)) return void warnings.push(`roster line ${line}: the folder ${JSON.stringify(entry.folder)} is on the roster twice — the first line is used`);
    for (const f of ["submittedAt", "dueAt"] as const) {
      if (entry[f] && Number.isNaN(Date.parse(entry[f]))) {
        warnings.push(`roster line ${line}: ${f === "submittedAt" ? "submitted_at" : "due_at"} ${JSON.stringify(entry[f])} is not a date and time (write 2026-12-01T23:59+08:00) — left out`);
        entry[f] = "";
      }
    }
    seen.add(entry.folder);
    entries.push(entry);
  });
  return { entries, warnings };
}

/** The roster entry of a submission folder: the same name, else the only one that differs only in case. */
export function rosterEntry(roster: readonly RosterEntry[] | null, folder: string): RosterEntry | null {
  if (!roster) return null;
  const exact = roster.find((r) => r.folder === folder);
  if (exact) return exact;
  const loose = roster.filter((r) => r.folder.toLowerCase() === folder.toLowerCase());
  return loose.length === 1 ? loose[0] : null;
}
