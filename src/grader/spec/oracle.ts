/**
 * Expected values without the reference solutions: what the released student copy grades with.
 *
 * At release time (`npm run release`) the VISIBLE specs run once against the reference solutions,
 * with every `import * as ref from "../../solutions/x"` replaced by `recording(...)` wrappers (see
 * src/grader/solutions-plugin.ts): each call's arguments (as codec wire data, hashed) and result are
 * written down. The release ships that table as test/exercises/expected/<exercise>.json, and its
 * grader replaces the same imports by `recorded(...)` functions that look results up.
 *
 * So the release holds the reference outputs of the public tests' own inputs — which a student can
 * see anyway by reading the public specs — and nothing else: no solution code, no hidden test and no
 * output for any input the hidden tests use. A call that was not recorded throws `OracleMiss`: a
 * property test skips such a case while it shrinks a failure; anywhere else the part fails, saying
 * that the release's data is out of date.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { decode, encode, type Wire } from "../codec";
import { text, type Text } from "../i18n";
import { projectRoot } from "../paths";

export class OracleMiss extends Error {
  /** What the part says (both languages); `message` is its English. */
  constructor(readonly text: Text) {
    super(text.en);
    this.name = "OracleMiss";
  }
}

export interface ExpectedTable {
  /** The exercise (file name). */
  exercise: string;
  /** Functions of the reference solution the visible specs call. */
  functions: string[];
  /** fn → sha256 of the arguments' wire JSON → the result's wire value. */
  calls: Record<string, Record<string, Wire>>;
}

/** The key of one call: the arguments as codec wire data, hashed. */
export function callKey(args: readonly unknown[]): string {
  return createHash("sha256").update(JSON.stringify(encode([...args], lib))).digest("hex");
}

export function expectedDir(): string {
  return process.env.GRADE_EXPECTED_DIR || path.join(projectRoot(), "test", "exercises", "expected");
}

const tables = new Map<string, ExpectedTable>();

function table(exercise: string): ExpectedTable {
  let t = tables.get(exercise);
  if (!t) {
    const file = path.join(expectedDir(), `${exercise}.json`);
    t = JSON.parse(fs.readFileSync(file, "utf8")) as ExpectedTable;
    tables.set(exercise, t);
  }
  return t;
}

/** The released grader's stand-in for a reference function: looks its result up. */
export function recorded(exercise: string, fn: string): (...args: unknown[]) => unknown {
  return (...args) => {
    const wire = table(exercise).calls[fn]?.[callKey(args)];
    if (wire === undefined) {
      const file = `test/exercises/expected/${exercise}.json`;
      throw new OracleMiss(
        text(
          `评分器的问题：${fn} 的这次调用没有记录下来的期望值——这份发布版的 ${file} 已经过时（请告诉老师；不是你的代码的问题）`,
          `grader problem: no recorded expected value for this call of ${fn} — the release's ${file} is out of date (tell your instructor; your code is not at fault)`,
        ),
      );
    }
    return decode(wire, lib);
  };
}

/** At release time: calls the real reference function and writes the call down. */
export function recording(exercise: string, fn: string, real: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const dir = process.env.GRADE_RECORD_DIR;
  if (!dir) throw new Error("recording(): GRADE_RECORD_DIR is not set");
  return (...args) => {
    const key = callKey(args);
    const result = real(...args);
    const line = JSON.stringify({ fn, key, value: encode(result, lib) });
    fs.appendFileSync(path.join(dir, `${exercise}.${process.pid}.jsonl`), `${line}\n`);
    return result;
  };
}
