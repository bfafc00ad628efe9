/**
 * What `import … from "…"` and `require("…")` reach inside the browser kernel: the same module
 * names a notebook uses under tslab, bundled into the worker, and the student's exercise files
 * compiled from the text the page sent with the cell (so a saved edit counts at the next run).
 */
import * as d2l from "../../../src/index";
import * as plot from "../../../src/plot/index";
import { syntaxErrorLines, transpile } from "../../../src/live/transpile";
import * as grader from "./grader";
import * as tslab from "./tslab";

const fixed: Record<string, unknown> = {
  "d2l-pooling": d2l,
  "d2l-pooling/plot": plot,
  "d2l-pooling/grader": grader,
  tslab,
};

const EXERCISE = /^d2l-pooling\/exercises\/([\w.-]+?)(\.ts)?$/;

/** The student's exercise sources (file name without .ts → text), as of the cell being run. */
let sources: Record<string, string> = {};
const compiled = new Map<string, { source: string; exports: Record<string, unknown> }>();

export function setExerciseSources(next: Record<string, string>): void {
  sources = next;
}

export function exerciseSources(): Record<string, string> {
  return sources;
}

export function requireModule(specifier: string): unknown {
  if (specifier in fixed) return fixed[specifier];
  const exercise = EXERCISE.exec(specifier);
  if (exercise) return loadExercise(exercise[1]);
  throw new Error(
    `Cannot find module '${specifier}' in the browser kernel / 浏览器内核里没有这个模块。` +
      ` It has: d2l-pooling, d2l-pooling/plot, d2l-pooling/grader, d2l-pooling/exercises/<name>, tslab.`,
  );
}

/** `exercises/<name>.ts` as it is now, compiled once per version of its text. */
export function loadExercise(name: string): Record<string, unknown> {
  const cached = compiled.get(name);
  if (cached && cached.source === sources[name]) return cached.exports;
  const exports = compileExercise(name, requireModule);
  compiled.set(name, { source: sources[name], exports });
  return exports;
}

/** `exercises/<name>.ts` as it is now, run as a new module whose `require` is `require`. */
export function compileExercise(name: string, require: (specifier: string) => unknown): Record<string, unknown> {
  const source = sources[name];
  if (source === undefined) {
    const known = Object.keys(sources).sort().join(", ") || "none found";
    throw new Error(`There is no exercise "${name}" (exercises/${name}.ts does not exist). Exercises: ${known}.`);
  }
  const file = `exercises/${name}.ts`;
  const result = transpile(source, `${name}.ts`);
  if (!result.ok) {
    const lines = syntaxErrorLines(file, result.errors);
    throw new SyntaxError(`Your file has a syntax error; fix it, save, and run the cell again / 文件有语法错误，改正、保存后重新运行：\n${lines.join("\n")}`);
  }
  const module = { exports: {} as Record<string, unknown> };
  // sourceURL names the file in stack traces (the browser's equivalent of Node's module filename).
  const run = new Function("exports", "require", "module", `${result.code}\n//# sourceURL=${file}`);
  run(module.exports, require, module);
  return module.exports;
}
