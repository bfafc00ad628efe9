/**
 * The TypeScript type check of submissions, for their feedback.
 *
 * Policy ("graded honestly"): a type error does not cost points by itself. The grader runs the code
 * as written with its types stripped (as vitest, tsx or a notebook would), and every part is graded
 * on what the code computes; the type errors are listed in the feedback (a 0-point "type check"
 * test in results.json) so the student learns about them. A SYNTAX error is different: the file
 * cannot run, so every part of that exercise scores 0 and says where the error is.
 *
 * The checker runs in a child process (`node typecheck.js` reading a request on stdin) with a heap
 * cap and a kill timer, since a hostile file can make type checking arbitrarily slow. Submissions are
 * checked in groups sharing one program (every file is a module: `moduleDetection: force`); a file
 * that declares global or module augmentations (`declare global`, `declare module`) is checked in a
 * program of its own, so it cannot change what another student's code means.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { builtGraderDir } from "./paths";

export interface TypecheckInput {
  id: string;
  /** File name (e.g. "min-pool.ts") → source. */
  files: Record<string, string>;
}

/** id → file name → diagnostics ("min-pool.ts:12:5 error TS2322: ..."). */
export type TypecheckResults = Record<string, Record<string, string[]>>;

export interface TypecheckOutcome {
  results: TypecheckResults;
  /** Why the check (or part of it) did not finish, if it did not. */
  problem: string | null;
}

const GROUP = 50;

export function typecheckSubmissions(root: string, inputs: TypecheckInput[], timeoutMs = 60_000 + 1000 * inputs.length): Promise<TypecheckOutcome> {
  return new Promise((resolve) => {
    if (inputs.length === 0) return resolve({ results: {}, problem: null });
    const child = spawn(process.execPath, ["--max-old-space-size=3072", path.join(builtGraderDir(), "typecheck.js")], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    // Feedback only: it may wait for the cores the grading leaves idle.
    try {
      if (child.pid) os.setPriority(child.pid, 10);
    } catch {
      // not allowed here: same priority
    }
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(out) as TypecheckResults;
        resolve({ results: parsed, problem: code === 0 ? null : `the type check stopped early (${signal ?? `exit ${code}`})` });
      } catch {
        resolve({ results: {}, problem: signal === "SIGKILL" ? `the type check did not finish within ${Math.round(timeoutMs / 1000)} s` : `the type check failed: ${err.trim().split("\n")[0] || `exit ${code}`}` });
      }
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify({ root, inputs }));
  });
}

// ---------------------------------------------------------------------------------------------
// The child process

type TS = typeof import("typescript");

function check(ts: TS, root: string, inputs: TypecheckInput[]): TypecheckResults {
  const options: import("typescript").CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [path.join(root, "node_modules", "@types")],
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    baseUrl: "/",
    paths: { "d2l-pooling": [path.join(root, "dist", "index.d.ts")] },
  };
  const base = ts.createCompilerHost(options);
  const cache = new Map<string, import("typescript").SourceFile | undefined>();
  const virtual = new Map<string, string>();
  const host: import("typescript").CompilerHost = {
    ...base,
    fileExists: (f) => virtual.has(f) || base.fileExists(f),
    readFile: (f) => (virtual.has(f) ? virtual.get(f) : base.readFile(f)),
    getSourceFile: (f, lang) => {
      if (virtual.has(f)) return ts.createSourceFile(f, virtual.get(f)!, lang, true);
      if (!cache.has(f)) cache.set(f, base.getSourceFile(f, lang));
      return cache.get(f);
    },
  };
  const results: TypecheckResults = {};
  const own = inputs.filter((i) => Object.values(i.files).some((s) => /\bdeclare\s+(global|module)\b/.test(s)));
  const shared = inputs.filter((i) => !own.includes(i));
  const groups: TypecheckInput[][] = own.map((i) => [i]);
  for (let k = 0; k < shared.length; k += GROUP) groups.push(shared.slice(k, k + GROUP));
  groups.forEach((group, g) => {
    virtual.clear();
    const names: { id: string; file: string; name: string }[] = [];
    group.forEach((input, i) => {
      for (const [name, source] of Object.entries(input.files)) {
        const file = `/submissions/${g}/${i}/${name}`;
        virtual.set(file, source);
        names.push({ id: input.id, file, name });
      }
      results[input.id] = {};
    });
    const program = ts.createProgram(
      names.map((n) => n.file),
      options,
      host,
    );
    for (const n of names) {
      const sf = program.getSourceFile(n.file);
      if (!sf) continue;
      const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (!diags.length) continue;
      results[n.id][n.name] = diags.slice(0, 20).map((d) => {
        const at = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : null;
        return `${n.name}${at ? `:${at.line + 1}:${at.character + 1}` : ""} error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
      });
      if (diags.length > 20) results[n.id][n.name].push(`… and ${diags.length - 20} more`);
    }
  });
  return results;
}

if (require.main === module) {
  let input = "";
  process.stdin.on("data", (c: Buffer) => (input += c.toString()));
  process.stdin.on("end", () => {
    const { root, inputs } = JSON.parse(input) as { root: string; inputs: TypecheckInput[] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require(require.resolve("typescript", { paths: [root] })) as TS;
    process.stdout.write(JSON.stringify(check(ts, root, inputs)));
  });
}
