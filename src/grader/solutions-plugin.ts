/**
 * A vite plugin for the spec runner: where a spec imports a reference solution
 * (`import * as ref from "../../solutions/min-pool"`), give it
 *
 * - `recorded`: functions that look the result up in test/exercises/expected/<exercise>.json — the
 *   released student copy has no solutions/ (see ./spec/oracle.ts);
 * - `record`: the real functions, wrapped so each call is written down (at release time).
 *
 * Constants of the solutions (written answers, yes/no answers) are never exported this way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXERCISES } from "./manifest";

const PREFIX = "\0d2l-expected:";

export interface SolutionsPluginOptions {
  mode: "recorded" | "record";
  root: string;
}

export function solutionsPlugin(o: SolutionsPluginOptions) {
  const support = JSON.stringify(path.join(o.root, "src", "grader", "spec", "oracle.ts"));
  return {
    name: "d2l-grader-solutions",
    enforce: "pre" as const,
    resolveId(source: string, importer: string | undefined): string | null {
      const m = /(?:^|\/)solutions\/([\w-]+?)(?:\.ts)?$/.exec(source);
      if (!m || !importer || !importer.split(path.sep).join("/").includes("/test/exercises/")) return null;
      return `${PREFIX}${m[1]}`;
    },
    load(id: string): string | null {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      if (o.mode === "recorded") {
        const file = path.join(process.env.GRADE_EXPECTED_DIR || path.join(o.root, "test", "exercises", "expected"), `${name}.json`);
        const functions = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { functions: string[] }).functions : [];
        return [
          `import { recorded } from ${support};`,
          ...functions.map((f) => `export const ${f} = recorded(${JSON.stringify(name)}, ${JSON.stringify(f)});`),
        ].join("\n");
      }
      const exercise = EXERCISES.find((e) => e.id === name);
      const real = JSON.stringify(path.join(o.root, "solutions", `${name}.ts`));
      return [
        `import * as real from ${real};`,
        `import { recording } from ${support};`,
        ...(exercise?.exports ?? []).map(
          (f) => `export const ${f} = typeof real.${f} === "function" ? recording(${JSON.stringify(name)}, ${JSON.stringify(f)}, real.${f}) : undefined;`,
        ),
      ].join("\n");
    },
  };
}
