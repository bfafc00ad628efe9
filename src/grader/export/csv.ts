/**
 * CSV both ways. Written: every cell a submission or a roster controls is quoted where needed,
 * shown terminal-safe, and kept from being read as a spreadsheet formula (a cell starting with
 * = + - @). Read (rosters, the TA's manual points): csv-parse, with Excel's byte-order mark, CRLF,
 * quoted commas and ragged rows; headers matched loosely ("SIS User ID", "sis_user_id").
 */
import * as fs from "node:fs";
import { parse } from "csv-parse/sync";
import { refuse } from "../text-error";
import type { Text } from "../i18n";
import { safeLine } from "../terminal";

/**
 * The text of a cell as the sheet shows it (before quoting): control characters shown, not sent (the
 * sheet may well be printed on a terminal, ../terminal.ts), and a cell starting with = + - @ kept
 * from being a formula. Reading a sheet back, compare with this, not with the raw text.
 */
export function cellText(v: string): string {
  const s = safeLine(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : "";
  const s = cellText(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLines(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** A header as compared: lower case, no spaces, `_` or `-`. */
export const headerKey = (h: string) => h.toLowerCase().replace(/[\s_\-]+/g, "");

/** Largest CSV file read (a roster of thousands is well under a megabyte). */
const MAX_CSV_BYTES = 8 * 1024 * 1024;

/** The rows of a CSV file as header → cell (headers as headerKey gives them). */
export function readCsv(file: string, what: Text): { headers: string[]; rows: Record<string, string>[] } {
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_CSV_BYTES) throw new Error(`larger than ${MAX_CSV_BYTES / 1024 / 1024} MB`);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw refuse(`无法读取${what.zh} ${file}：${(e as Error).message}`, `${what.en} ${file} cannot be read: ${(e as Error).message}`);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (e) {
    throw refuse(`${what.zh} ${file} 不是本评分器能读的 CSV 文件：${(e as Error).message}`, `${what.en} ${file} is not a CSV file this grader can read: ${(e as Error).message}`);
  }
  const [head = [], ...body] = records;
  const headers = head.map(headerKey);
  return { headers, rows: body.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ""]))) };
}
