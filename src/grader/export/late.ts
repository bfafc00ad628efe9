/**
 * Late work: a deadline, each student's submission time (the roster's submitted_at, or Gradescope's
 * submission_metadata.json — never a file in the submission, which the student controls), and a
 * policy:
 *
 *   none      late work is marked, the score is kept
 *   zero      late work scores 0
 *   N%        N percent of the score off per day or part of a day late (10%: 1 h late −10 %,
 *             25 h late −20 %), never below 0
 *
 * A grace period (minutes) is added to the deadline first.
 */
import { refuse } from "../text-error";

export type LatePolicy = { kind: "none" } | { kind: "zero" } | { kind: "percent"; perDay: number };

export interface LateRule {
  /** ISO time. */
  deadline: string;
  policy: LatePolicy;
  graceMinutes: number;
}

export function parsePolicy(value: string): LatePolicy {
  const v = value.trim().toLowerCase();
  if (v === "none") return { kind: "none" };
  if (v === "zero" || v === "0") return { kind: "zero" };
  const m = /^(\d+(?:\.\d+)?)\s*%(?:\s*\/\s*day|\s*per\s*day)?$/.exec(v);
  if (m && Number(m[1]) > 0 && Number(m[1]) <= 100) return { kind: "percent", perDay: Number(m[1]) };
  throw refuse(`--late-policy ${value}：请写 none、zero，或每迟交一天扣的百分比，例如 10%`, `--late-policy ${value}: give none, zero, or a percentage per day late such as 10%`);
}

export function policyName(p: LatePolicy): string {
  return p.kind === "percent" ? `${p.perDay}%/day` : p.kind;
}

/** A date and time as the grader reads it: ISO 8601; without a zone, the grading machine's. */
export function parseTime(value: string, what: string): Date {
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw refuse(
      `${what} ${JSON.stringify(value)} 不是日期时间：请写成 2026-12-01T23:59+08:00（或 2026-12-01T23:59，即评分机器的时区）`,
      `${what} ${JSON.stringify(value)} is not a date and time: write it as 2026-12-01T23:59+08:00 (or 2026-12-01T23:59, the grading machine's time zone)`,
    );
  }
  return new Date(t);
}

export interface Lateness {
  /** Days late, counting a started day as a whole one (0: on time). */
  days: number;
  /** Seconds late (0: on time). */
  seconds: number;
  /** Fraction of the score taken off, 0–1. */
  penalty: number;
}

export function lateness(submitted: Date, deadline: Date, rule: Pick<LateRule, "policy" | "graceMinutes">): Lateness {
  const seconds = (submitted.getTime() - deadline.getTime()) / 1000 - rule.graceMinutes * 60;
  if (seconds <= 0) return { days: 0, seconds: 0, penalty: 0 };
  const days = Math.ceil(seconds / 86_400);
  const p = rule.policy;
  const penalty = p.kind === "none" ? 0 : p.kind === "zero" ? 1 : Math.min(1, (days * p.perDay) / 100);
  return { days, seconds, penalty };
}
