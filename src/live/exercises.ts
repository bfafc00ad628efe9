import * as fs from "node:fs";
import * as path from "node:path";
import Module from "node:module";
import { syntaxErrorLines, transpile, withInlineMap } from "./transpile";

/**
 * Load a student's exercise straight from its TypeScript source, so a notebook sees the
 * student's latest edits after a kernel restart without any build step.
 *
 * A notebook writes `import { avgPoolAsConv } from "d2l-pooling/exercises/avg-pool-as-conv"`.
 * tslab type-checks that against `exercises/avg-pool-as-conv.ts` itself (it resolves through
 * node_modules/d2l-pooling, a link to this project), while Node's `exports` map sends the
 * runtime `require` to `dist/exercises/avg-pool-as-conv.js`, a two-line file that calls this.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/** The exercise names: one per `exercises/*.ts` file. */
export function exerciseNames(folder = path.join(ROOT, "exercises")): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Transpile `file` (TypeScript) to CommonJS and run it as a module; syntax errors are reported. */
export function requireTypeScript(file: string): Record<string, unknown> {
  const result = transpile(fs.readFileSync(file, "utf8"), file);
  if (!result.ok) {
    const lines = syntaxErrorLines(path.relative(ROOT, file), result.errors);
    throw new SyntaxError(`Your file has a syntax error; fix it, save, and restart the kernel:\n${lines.join("\n")}`);
  }
  const mod = new Module(file, module);
  mod.filename = file;
  // Resolve the exercise's own imports ("d2l-pooling", relative files) from its folder.
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  (mod as unknown as { _compile(code: string, filename: string): void })._compile(withInlineMap(result.code, result.map), file);
  return mod.exports as Record<string, unknown>;
}

/**
 * The folder notebooks load exercises from: exercises/, or the folder D2L_EXERCISES_DIR names
 * (relative to the project root), e.g. `D2L_EXERCISES_DIR=solutions` to see every notebook as it
 * looks once all the exercises are done.
 */
export function exercisesDir(): string {
  const dir = process.env.D2L_EXERCISES_DIR;
  return dir ? path.resolve(ROOT, dir) : path.join(ROOT, "exercises");
}

/** The exports of `exercises/<name>.ts`, freshly compiled from the file as it is now. */
export function loadExercise(name: string): Record<string, unknown> {
  const file = path.join(exercisesDir(), `${name}.ts`);
  if (!fs.existsSync(file)) {
    const known = exerciseNames();
    throw new Error(`There is no exercise "${name}" (${file} does not exist). Exercises: ${known.join(", ") || "none found"}.`);
  }
  return requireTypeScript(file);
}
