/**
 * What a graded part reports: a typed record, made by the spec harness (./spec/harness.ts) in the
 * vitest worker, carried by the spec runner (./run-specs.ts) to the grader, and turned into points by
 * ./scoring.ts — a pure function over records and the manifest. No step parses another's prose
 * (as otter's TestCaseResult, or the cells nbgrader's preprocessors pass along).
 */
import type { ExerciseId } from "./manifest";
import type { FailureKind } from "./invoke";
import { isText, type Text } from "./i18n";

/** Longest feedback kept for one part (a failure can print a big tensor); the rest is cut, saying so. */
export const MAX_FEEDBACK_CHARS = 20_000;
/** Longest written answer kept (the instructor reads it; a megabyte of text teaches nothing). */
export const MAX_ANSWER_CHARS = 10_000;
/** Written answers kept per part. */
export const MAX_ANSWERS = 4;

/** Why a part failed. */
export interface PartFailure {
  /** The feedback, in both languages: its first line is the summary the tables show, the rest the detail. */
  message: Text;
  /**
   * What stopped it: a failed check ("check"), what the boundary reported about the student's code
   * (a `FailureKind`: threw, timeout, memory, forbidden, mutated…), or the grader itself ("grader").
   */
  cause: FailureKind | "check" | "grader";
  /** The stub's "not implemented yet", or no written answer yet: the exercise is not started. */
  notStarted: boolean;
  /** The submission's time for all its code was used up (the part may not have run at all). */
  budgetUsedUp: boolean;
}

export interface PartRecord {
  exercise: ExerciseId;
  part: string;
  state: "passed" | "failed";
  failure: PartFailure | null;
  /** Written answers the part recorded, in order. */
  answers: string[];
}

/** `text` cut to `max` characters, saying how much was left out. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n… (${text.length - max} more characters not shown)`;
}

const CAUSES: ReadonlySet<string> = new Set(["check", "grader", "missing-file", "load", "missing-export", "threw", "codec", "timeout", "memory", "crashed", "forbidden", "mutated"]);

/** The harness caps texts already; this is the runner's guard, with room for the harness's "… (N more)". */
const GUARD = 200;

/**
 * A record as it arrives over IPC, checked field by field and capped: null when it is not one
 * (the runner then treats the part as not reported).
 */
export function readRecord(raw: unknown): PartRecord | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.exercise !== "string" || typeof r.part !== "string" || (r.state !== "passed" && r.state !== "failed")) return null;
  let failure: PartFailure | null = null;
  if (r.failure && typeof r.failure === "object") {
    const f = r.failure as Record<string, unknown>;
    const message = isText(f.message) ? f.message : { zh: "失败", en: "failed" };
    failure = {
      message: { zh: capText(message.zh, MAX_FEEDBACK_CHARS + GUARD), en: capText(message.en, MAX_FEEDBACK_CHARS + GUARD) },
      cause: typeof f.cause === "string" && CAUSES.has(f.cause) ? (f.cause as PartFailure["cause"]) : "grader",
      notStarted: f.notStarted === true,
      budgetUsedUp: f.budgetUsedUp === true,
    };
  }
  if (r.state === "failed" && !failure) failure = { message: { zh: "失败", en: "failed" }, cause: "grader", notStarted: false, budgetUsedUp: false };
  const answers = Array.isArray(r.answers) ? r.answers.filter((a): a is string => typeof a === "string").slice(0, MAX_ANSWERS).map((a) => capText(a, MAX_ANSWER_CHARS + GUARD)) : [];
  return { exercise: r.exercise as ExerciseId, part: r.part, state: r.state, failure: r.state === "passed" ? null : failure, answers };
}
