/**
 * What a TA must look at, per student: the report's flags column. Each flag is computed from the
 * records alone (a pure function of the class), so the same gradebook always shows the same flags.
 */
import { digest } from "../collect/choose";
import { text, type Text } from "../i18n";
import { EXERCISES, type ExerciseId } from "../manifest";
import { safeLine } from "../terminal";
import type { StudentRecord } from "./record";

export type FlagCode = "files" | "syntax" | "types" | "limits" | "no-answer" | "identical" | "solution" | "late" | "roster" | "case" | "incomplete";

export interface Flag {
  code: FlagCode;
  text: Text;
}

const list = (names: readonly string[], max = 4) => names.slice(0, max).join(", ") + (names.length > max ? `, … (+${names.length - max})` : "");

/** Exercise → hash of the reference solution (a submission identical to it is flagged). */
export function solutionDigests(readSolution: (id: ExerciseId) => Buffer | null): Map<ExerciseId, string> {
  const out = new Map<ExerciseId, string>();
  for (const e of EXERCISES) {
    const b = readSolution(e.id);
    if (b) out.set(e.id, digest(b));
  }
  return out;
}

/** Flags of every student, by id. `extra` adds what only the caller knows (late work, the roster). */
export function classFlags(records: readonly StudentRecord[], solutions: ReadonlyMap<ExerciseId, string>): Map<string, Flag[]> {
  // Who handed in the same file: exercise/hash → ids (edited files only: everyone has the stub).
  const same = new Map<string, string[]>();
  for (const r of records) {
    for (const e of EXERCISES) {
      const f = r.exercises[e.id];
      if (f?.state !== "edited") continue;
      const key = `${e.id}/${f.sha256}`;
      same.set(key, [...(same.get(key) ?? []), r.id]);
    }
  }
  const lowerIds = new Map<string, string[]>();
  for (const r of records) lowerIds.set(r.id.toLowerCase(), [...(lowerIds.get(r.id.toLowerCase()) ?? []), r.id]);

  const out = new Map<string, Flag[]>();
  for (const r of records) {
    const flags: Flag[] = [];
    const notGraded = r.fileNotes.filter((n) => !n.clutter);
    if (notGraded.length) flags.push({ code: "files", text: text(`${notGraded.length} 个文件没有评分`, `${notGraded.length} file${notGraded.length > 1 ? "s" : ""} not graded`) });
    const syntax = Object.keys(r.syntaxErrors);
    if (syntax.length) flags.push({ code: "syntax", text: text(`语法错误：${list(syntax.map((s) => `${s}.ts`))}`, `syntax error: ${list(syntax.map((s) => `${s}.ts`))}`) });
    // Type errors of files that did not even parse are the syntax error again: not listed twice.
    const typeErrors = r.report.typecheck && "errors" in r.report.typecheck ? r.report.typecheck.errors : {};
    const types = Object.keys(typeErrors).filter((f) => typeErrors[f].length && !syntax.includes(f.replace(/\.ts$/, "")));
    if (types.length) flags.push({ code: "types", text: text(`类型错误：${list(types)}`, `type errors: ${list(types)}`) });
    const limited = r.report.exercises.filter((e) => e.parts.some((p) => p.cause === "timeout" || p.cause === "memory" || p.cause === "crashed" || p.budgetUsedUp)).map((e) => e.id);
    if (limited.length) flags.push({ code: "limits", text: text(`超时或超出内存：${list(limited)}`, `time or memory limit: ${list(limited)}`) });
    const blank = r.report.exercises.filter((e) => r.exercises[e.id]?.state === "edited" && e.parts.some((p) => p.points === 0 && p.status === "failed" && p.notStarted)).map((e) => e.id);
    if (blank.length) flags.push({ code: "no-answer", text: text(`书面回答空白：${list(blank)}`, `written answer blank: ${list(blank)}`) });
    const twins: string[] = [];
    const copies: string[] = [];
    for (const e of EXERCISES) {
      const f = r.exercises[e.id];
      if (f?.state !== "edited") continue;
      // A copy of the reference solution is flagged as that (everyone else with it is the same case).
      if (solutions.get(e.id) === f.sha256) copies.push(`${e.id}.ts`);
      else {
        const others = (same.get(`${e.id}/${f.sha256}`) ?? []).filter((id) => id !== r.id);
        if (others.length) twins.push(`${e.id}.ts = ${list(others.map(safeLine), 3)}`);
      }
    }
    if (twins.length) flags.push({ code: "identical", text: text(`与他人的文件完全相同：${twins.join("; ")}`, `identical to another student's: ${twins.join("; ")}`) });
    if (copies.length) flags.push({ code: "solution", text: text(`与参考答案完全相同：${list(copies)}`, `identical to the reference solution: ${list(copies)}`) });
    const caseTwins = (lowerIds.get(r.id.toLowerCase()) ?? []).filter((id) => id !== r.id);
    if (caseTwins.length) flags.push({ code: "case", text: text(`名字只差大小写：${list(caseTwins)}（是同一个学生吗？）`, `name differs only in case from ${list(caseTwins)} (the same student?)`) });
    if (!r.complete) flags.push({ code: "incomplete", text: text("类型检查没有完成（运行被中断）：--resume 会补上", "type check not finished (the run was stopped): --resume runs it") });
    out.set(r.id, flags);
  }
  return out;
}
