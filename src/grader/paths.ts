import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Where things are. The project root is found from this file's own location (src/grader or
 * dist/grader), never from the working directory: a notebook kernel runs in notebooks/zh, a CI job in
 * the root, an instructor anywhere.
 */

let cachedRoot: string | null = null;

export function projectRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, "utf8")).name === "d2l-pooling") return (cachedRoot = dir);
      } catch {
        // not ours; keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the d2l-pooling project root above ${__dirname}`);
    dir = parent;
  }
}

/**
 * The folder of the modules being graded: `GRADE_TARGET` (absolute, or relative to the project
 * root), else the project's `exercises/`. The project's own `npm test` sets GRADE_TARGET=solutions.
 */
export function targetDir(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.GRADE_TARGET;
  return given ? path.resolve(projectRoot(), given) : path.join(projectRoot(), "exercises");
}

/** The module file of one exercise inside a target folder. */
export function targetFile(dir: string, exerciseId: string): string {
  return path.join(dir, `${exerciseId}.ts`);
}

/** Paths shown to students: relative to the project root when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(projectRoot(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/** The spec files of one exercise: the visible one, and the instructor-only one. */
export function specFiles(exerciseId: string): { visible: string; hidden: string } {
  const dir = path.join(projectRoot(), "test", "exercises");
  return { visible: path.join(dir, `${exerciseId}.test.ts`), hidden: path.join(dir, "hidden", `${exerciseId}.test.ts`) };
}

/**
 * The folder of the built grader (dist/grader): where the child-process entries (run-specs.js,
 * typecheck.js, sandbox/child.js) are, also when this code runs from src/ under vitest.
 */
export function builtGraderDir(): string {
  return fs.existsSync(path.join(__dirname, "run-specs.js")) ? __dirname : path.join(projectRoot(), "dist", "grader");
}
