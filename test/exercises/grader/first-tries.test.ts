/**
 * Typical first tries (./first-tries.ts), graded in one batch by the grader's own batch function
 * (gradeSubmissions, what `--submissions` runs: every submission in its sandbox, hidden tests
 * counted, one grading seed). Its reports hold every text in both languages, so one run checks:
 *
 * - each first try loses exactly the visible parts its mistake breaks, with feedback that names the
 *   mistake and gives no answer away (the patterns of ./first-tries.ts, on the English);
 * - every failed part speaks both languages (issue 19): its Chinese has Chinese in every line that
 *   carries words (a line of code or values may have none), its English has no Chinese but what the
 *   student's own code wrote, and neither shows "[object Object]" (a Text pasted into a template
 *   literal) or a hint that is not text;
 * - the reference solutions keep full marks.
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmissions, type GradeReport, type SubmissionResult } from "../../../src/grader/grade";
import { LANGS, type Lang, type Text } from "../../../src/grader/i18n";
import { EXERCISES, exerciseById, maxScore } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";
import { FIRST_TRIES } from "./first-tries";

const root = projectRoot();
let tmp: string;
let results: SubmissionResult[];

const reportOf = (student: string): GradeReport => {
  const r = results.find((x) => x.id === student);
  if (!r) throw new Error(`no report for ${student}`);
  return r.report;
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-first-tries-"));
  const subs = path.join(tmp, "submissions");
  for (const t of FIRST_TRIES) {
    fs.mkdirSync(path.join(subs, t.name), { recursive: true });
    fs.writeFileSync(path.join(subs, t.name, `${t.exercise}.ts`), t.source);
  }
  fs.mkdirSync(path.join(subs, "reference"));
  for (const e of EXERCISES) fs.copyFileSync(path.join(root, "solutions", `${e.id}.ts`), path.join(subs, "reference", `${e.id}.ts`));
  const inputs = [...FIRST_TRIES.map((t) => t.name), "reference"].map((id) => ({ id, dir: path.join(subs, id), display: "exercises" }));
  results = await gradeSubmissions(inputs, { hidden: true, jobs: 2, typecheck: false, seed: 1 });
}, hang(1_200_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Which language a text is in

/** Chinese characters and the full-width punctuation Chinese text uses (，：（）。…). */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+/g;
const HAS_CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
/** Two English words in a row: prose (code and values rarely have two bare words side by side). */
const ENGLISH_WORDS = /\b[A-Za-z]{2,}\b[ ,]+\b[A-Za-z]{2,}\b/;

/** Values spelled with letters (a tensor's `nan, inf`), code in backticks and string literals: what a line may hold without being prose. */
const withoutValues = (line: string) =>
  line
    .replace(/`[^`]*`/g, "")
    .replace(/"[^"]*"/g, "")
    .replace(/'[^']*'/g, "")
    .replace(/\b(nan|inf|NaN|Infinity|true|false|null|undefined)\b/g, "0");

/** Lines of the Chinese that carry English words and no Chinese at all. */
function notChinese(zh: string): string[] {
  return zh.split("\n").filter((line) => !HAS_CJK.test(line) && ENGLISH_WORDS.test(withoutValues(line)));
}

/** Chinese in the English that the student's own code did not write. */
function notEnglish(en: string, studentSource: string): string[] {
  return [...en.matchAll(CJK)].map((m) => m[0]).filter((run) => !studentSource.includes(run));
}

/** Everything a failed part, or the report around it, says. */
function textsOf(report: GradeReport): { where: string; text: Text }[] {
  const out: { where: string; text: Text }[] = [];
  for (const e of report.exercises) {
    for (const p of e.parts) if (p.status !== "passed") out.push({ where: `${e.id}/${p.key}`, text: p.output });
    out.push({ where: `${e.id} (feedback line)`, text: e.feedback });
  }
  report.warnings.forEach((w, i) => out.push({ where: `warning ${i + 1}`, text: w }));
  report.notes.forEach((n, i) => out.push({ where: `note ${i + 1}`, text: n }));
  return out;
}

function languageProblems(report: GradeReport, studentSource: string): string[] {
  const problems: string[] = [];
  for (const { where, text } of textsOf(report)) {
    for (const lang of LANGS as Lang[]) {
      if (text[lang].includes("[object Object]")) problems.push(`${where} [${lang}]: "[object Object]" — a Text pasted into a template literal`);
      if (/(hint: |提示：)(function\b|\(\w*\) =>|undefined)/.test(text[lang])) problems.push(`${where} [${lang}]: a hint that is not text`);
    }
    for (const line of notChinese(text.zh)) problems.push(`${where} [zh]: a line in English only: ${line.trim()}`);
    const chinese = notEnglish(text.en, studentSource);
    if (chinese.length) problems.push(`${where} [en]: Chinese in the English: ${chinese.join(" ")}`);
    if (text.zh.trim() !== "" && text.en.trim() === "") problems.push(`${where}: Chinese without English`);
    if (text.en.trim() !== "" && text.zh.trim() === "") problems.push(`${where}: English without Chinese`);
  }
  return problems;
}

describe("the language checks", () => {
  it("tell a line of code or values from a line of words", () => {
    expect(notChinese("minPool2d(X, 2)：数值不对\n  X =\n    tensor([[[[1., 2.]]]])\n  F.maxPool2d(x.add(y), 2) =\n  提示：用 `x > best` 比较")).toEqual([]);
    expect(notChinese("  hint: padding is per side")).toEqual(["  hint: padding is per side"]);
    expect(notChinese('  X.index("...", [d, null])')).toEqual([]);
    expect(notChinese("    tensor([[[-2.0000,     inf,     inf, -3.0000],\n             [nan, nan]]], dtype=torch.float64)")).toEqual([]);
    expect(notEnglish("wrong values: 1 of 4 differ", "")).toEqual([]);
    expect(notEnglish("minPool2d：wrong values", "")).toEqual(["："]);
    expect(notEnglish('minPool2d threw "还没写"', 'throw new Error("还没写")')).toEqual([]);
  });
});

describe("typical first tries", () => {
  it("are graded; the reference solutions keep every visible point", () => {
    const report = reportOf("reference");
    const visible = report.exercises.flatMap((e) => e.parts.filter((p) => !p.hidden));
    expect(visible.filter((p) => p.status !== "passed").map((p) => `${p.exercise}/${p.key}: ${p.output.en}`)).toEqual([]);
    expect(visible.reduce((s, p) => s + p.score, 0)).toBe(100);
    expect(languageProblems(report, "")).toEqual([]);
  });

  it.each(FIRST_TRIES.map((t) => [t.name, t] as const))("%s loses exactly its mistake's parts, with feedback that fits, in zh and in en", (name, t) => {
    const exercise = exerciseById(t.exercise);
    const report = reportOf(name);
    const graded = report.exercises.find((e) => e.id === t.exercise)!;
    const visibleParts = graded.parts.filter((p) => !p.hidden);
    const result = (key: string) => visibleParts.find((p) => p.key === key)!;
    for (const key of Object.keys(t.fails)) expect(visibleParts.map((p) => p.key), `${name}: no visible part '${key}'`).toContain(key);
    const failed = visibleParts.filter((p) => p.status !== "passed").map((p) => p.key);
    const unexpected = failed.filter((k) => !(k in t.fails)).map((k) => `${k}: ${result(k).output.en.split("\n")[0]}`);
    expect(failed.sort(), `${name}: failed parts (unexpected: ${unexpected.join(" | ")})`).toEqual(Object.keys(t.fails).sort());
    const lost = visibleParts.filter((p) => p.key in t.fails).reduce((s, p) => s + p.points, 0);
    expect(visibleParts.reduce((s, p) => s + p.score, 0)).toBe(maxScore(exercise, false) - lost);
    for (const [key, feedback] of Object.entries(t.fails)) {
      const output = result(key).output.en;
      for (const re of feedback.says) expect(output, `${name}/${key} should say ${re}`).toMatch(re);
      for (const re of feedback.never ?? []) expect(output, `${name}/${key} must not say ${re}`).not.toMatch(re);
    }
    // Every failed part of the whole report (this exercise's, and the other exercises' "file
    // missing") in both languages.
    expect(languageProblems(report, t.source), name).toEqual([]);
  });
});
