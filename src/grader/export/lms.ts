/**
 * Grades out to the course's LMS, from the gradebook's rows (with a roster):
 *
 * - canvas.csv — Canvas's gradebook import: `Student, ID, SIS User ID, SIS Login ID, Section` and one
 *   column for the assignment, then a `Points Possible` row. Canvas matches students by SIS User ID
 *   (the roster's id); a column whose header matches no assignment becomes a new one.
 * - moodle.csv — Moodle's "Import grades from CSV": `ID number, Email address, <assignment>`; map
 *   "ID number" (or the email) to the user field when importing.
 *
 * The score is the final one (autograded + written answers − late penalty); roster students with no
 * submission get an empty cell, which both systems leave as it was.
 */
import { csvLines } from "./csv";
import type { RosterEntry } from "./roster";
import type { Row } from "../gradebook/rows";

export function canvasCsv(rows: readonly Row[], missing: readonly RosterEntry[], assignment: string, pointsPossible: number): string {
  const lines: (string | number | null)[][] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment], ["Points Possible", "", "", "", "", pointsPossible]];
  for (const r of rows) if (r.roster) lines.push([r.roster.name, "", r.roster.id, r.roster.email, r.roster.section, r.final]);
  for (const m of missing) lines.push([m.name, "", m.id, m.email, m.section, null]);
  return csvLines(lines);
}

export function moodleCsv(rows: readonly Row[], missing: readonly RosterEntry[], assignment: string): string {
  const lines: (string | number | null)[][] = [["ID number", "Email address", assignment]];
  for (const r of rows) if (r.roster) lines.push([r.roster.id, r.roster.email, r.final]);
  for (const m of missing) lines.push([m.id, m.email, null]);
  return csvLines(lines);
}
