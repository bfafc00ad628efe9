/**
 * Points from records: a pure function of the manifest (./manifest.ts, the only source of points) and
 * the parts' records (./records.ts). A part with no record scores 0 and says why; nothing here reads
 * a message to decide anything.
 */
import { inLang, join, text, type Lang, type Text } from "./i18n";
import { gradedParts, maxScore, partNumber, type Exercise, type ExerciseId } from "./manifest";
import type { PartFailure, PartRecord } from "./records";
import type { TypecheckResult } from "./typecheck";

export type PartStatus = "passed" | "failed";
export type ExerciseStatus = "passed" | "partial" | "failed" | "not started";

export interface PartResult {
  exercise: ExerciseId;
  key: string;
  /** "1.3": exercise 1 in the manifest, its third part. */
  number: string;
  title: Text;
  points: number;
  score: number;
  status: PartStatus;
  hidden: boolean;
  /** The feedback (first line: the summary), or empty when passed. */
  output: Text;
  /** Written answers recorded by the part. */
  answers: string[];
  /** Failed on the stub's "not implemented yet", or no written answer yet. */
  notStarted: boolean;
  /** What stopped it when it failed (a check, a time limit, a file that did not load…), or null. */
  cause: PartFailure["cause"] | "not-run" | null;
  /** The submission's time for all its code was used up during this part. */
  budgetUsedUp: boolean;
}

export interface ExerciseResult {
  id: ExerciseId;
  zh: number | null;
  en: number | null;
  title: { zh: string; en: string };
  score: number;
  max: number;
  status: ExerciseStatus;
  /** The first line of the first failed visible part's feedback (empty when all passed). */
  feedback: Text;
  parts: PartResult[];
}

export interface GradeReport {
  target: string;
  hidden: boolean;
  score: number;
  max: number;
  exercises: ExerciseResult[];
  /**
   * Seconds, or null in what a student sees before the grades are published (visibleOnly): any
   * duration of the run could carry how the code behaved on a hidden input.
   */
  executionTime: number | null;
  /** The submission's time limit for all its code, seconds. */
  budgetSeconds: number;
  /** Problems of the run itself (timeouts, crashes), shown under the table. */
  warnings: Text[];
  /** Files of the submission that were not taken, and why. */
  notes: Text[];
  /** The TypeScript type check (not graded), or null when it did not run. */
  typecheck: TypecheckResult | null;
  /** The grading seed (an instructor's grading: fresh cases), or null (fixed cases only). */
  seed: number | null;
}

const NOTHING: Text = { zh: "", en: "" };

/** Records of one submission, by `exercise/part`. */
export type RecordMap = ReadonlyMap<string, PartRecord>;

export const recordKey = (exercise: string, part: string) => `${exercise}/${part}`;

/**
 * One exercise's result. `unreported` says why a part without a record did not run (the run was
 * stopped, its spec file failed, or no test declares it).
 */
export function scoreExercise(e: Exercise, hidden: boolean, records: RecordMap, unreported: Text): ExerciseResult {
  const parts: PartResult[] = gradedParts(e, hidden).map((p) => {
    const r = records.get(recordKey(e.id, p.key));
    const passed = r?.state === "passed";
    return {
      exercise: e.id,
      key: p.key,
      number: partNumber(e, p),
      title: p.title,
      points: p.points,
      score: passed ? p.points : 0,
      status: passed ? "passed" : "failed",
      hidden: !!p.hidden,
      output: passed ? NOTHING : (r?.failure?.message ?? unreported),
      answers: r?.answers ?? [],
      notStarted: !passed && r?.failure?.notStarted === true,
      cause: passed ? null : (r?.failure?.cause ?? "not-run"),
      budgetUsedUp: r?.failure?.budgetUsedUp === true,
    };
  });
  const hiddenFailed = parts.filter((p) => p.hidden && p.status === "failed").length;
  const summary = summarize(parts);
  const hiddenNote = text(`${hiddenFailed} 个隐藏测试没有通过（成绩公布时显示）`, `${hiddenFailed} hidden test${hiddenFailed > 1 ? "s" : ""} failed (shown when the grades are published)`);
  const feedback = summary.feedback.en ? summary.feedback : hiddenFailed ? hiddenNote : NOTHING;
  return { id: e.id, zh: e.zh, en: e.en, title: e.title, score: summary.score, max: maxScore(e, hidden), status: summary.status, feedback, parts };
}

/** Score, status and feedback line of an exercise's parts. */
function summarize(parts: readonly PartResult[]): { score: number; status: ExerciseStatus; feedback: Text } {
  const score = parts.reduce((s, p) => s + p.score, 0);
  const gradedFailed = parts.filter((p) => p.points > 0 && p.status === "failed");
  const status: ExerciseStatus =
    gradedFailed.length === 0 ? "passed" : score === 0 && gradedFailed.every((p) => p.notStarted) ? "not started" : score > 0 ? "partial" : "failed";
  // The feedback line, from visible parts only (a hidden part's feedback is shown when the grades are
  // published): the first failure about the code that is more than "not implemented yet" (unless
  // nothing is implemented); then a missing written answer.
  const visible = parts.filter((p) => !p.hidden && p.status === "failed");
  const first = visible.find((p) => p.points > 0 && (status === "not started" || !p.notStarted)) ?? visible.find((p) => p.points > 0) ?? visible[0];
  const firstLine = (s: string) => s.split("\n")[0];
  return { score, status, feedback: first ? { zh: firstLine(first.output.zh), en: firstLine(first.output.en) } : NOTHING };
}

/**
 * What a student may see before the grades are published: the visible parts only — scores, statuses
 * and feedback computed without the hidden parts, so nothing says how a hidden part went (a
 * submission that fails a hidden part on purpose must not learn anything from it).
 */
export function visibleOnly(report: GradeReport): GradeReport {
  const exercises = report.exercises.map((e) => {
    const parts = e.parts.filter((p) => !p.hidden);
    const { score, status, feedback } = summarize(parts);
    return { ...e, parts, score, status, feedback, max: parts.reduce((t, p) => t + p.points, 0) };
  });
  return {
    ...report,
    hidden: false,
    score: exercises.reduce((t, r) => t + r.score, 0),
    max: exercises.reduce((t, r) => t + r.max, 0),
    exercises,
    // No time, and warnings from the visible parts only: a submission that sleeps or loops on
    // hidden inputs must not see it in a duration, nor in a warning.
    executionTime: null,
    warnings: budgetWarnings(exercises.flatMap((e) => e.parts), report.budgetSeconds),
  };
}

/** "The code was stopped after 300 s", when one of these parts used up the submission's time. */
function budgetWarnings(parts: readonly Pick<PartResult, "budgetUsedUp">[], budgetSeconds: number): Text[] {
  if (!parts.some((p) => p.budgetUsedUp)) return [];
  const b = budgetSeconds;
  return [
    text(
      `代码在 ${b} 秒后被中止——是不是有死循环？（${b} 秒是一份提交所有代码的时间上限；没有完成的部分记 0 分）`,
      `the code was stopped after ${b} s — is there an infinite loop? (${b} s is the time limit for all of a submission's code; parts that had not finished score 0)`,
    ),
  ];
}

export interface SubmissionScoring {
  target: string;
  hidden: boolean;
  exercises: readonly Exercise[];
  records: RecordMap;
  /** Why parts without a record did not run (see scoreExercise). */
  unreported: Text;
  /** Problems of the run (the grader stopped it, an error outside the tests…). */
  runWarnings: Text[];
  notes: Text[];
  /** The submission's time limit for all its code, seconds. */
  budgetSeconds: number;
  executionTime: number;
  seed: number | null;
}

export function scoreSubmission(s: SubmissionScoring): GradeReport {
  const exercises = s.exercises.map((e) => scoreExercise(e, s.hidden, s.records, s.unreported));
  const warnings = [...s.runWarnings];
  if ([...s.records.values()].some((r) => r.failure?.budgetUsedUp)) warnings.push(...budgetWarnings([{ budgetUsedUp: true }], s.budgetSeconds));
  return {
    target: s.target,
    hidden: s.hidden,
    score: exercises.reduce((t, r) => t + r.score, 0),
    max: exercises.reduce((t, r) => t + r.max, 0),
    exercises,
    executionTime: s.executionTime,
    budgetSeconds: s.budgetSeconds,
    warnings,
    notes: s.notes,
    typecheck: null,
    seed: s.seed,
  };
}

/** A value with every text in one language: what a page, a table or results.json shows. */
export type Shown<T> = T extends Text ? string : T extends readonly (infer U)[] ? Shown<U>[] : T extends object ? { [K in keyof T]: Shown<T[K]> } : T;
export type ShownReport = Shown<GradeReport>;

/** The report in one language (../i18n.ts): every Text becomes its `lang` string. */
export function inLanguage(report: GradeReport, lang: Lang): ShownReport {
  const shown = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(shown);
    const o = v as Record<string, unknown>;
    if (typeof o.zh === "string" && typeof o.en === "string" && Object.keys(o).length === 2) return inLang(o as unknown as Text, lang);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, shown(x)]));
  };
  return shown(report) as ShownReport;
}

export { join };
