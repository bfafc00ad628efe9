/**
 * TypeScript → CommonJS, the one way this project turns an exercise file into runnable code: for a
 * notebook (./exercises.ts, straight from the student's file) and for the grader (the sandbox runs
 * what src/grader/sandbox/prepare.ts compiled with this). Types are stripped, not checked (the
 * grader's type check is src/grader/typecheck.ts); a syntax error means there is nothing to run.
 */
import type * as TS from "typescript";

export interface SyntaxProblem {
  /** 1-based. */
  line: number;
  column: number;
  message: string;
}

export type Transpiled = { ok: true; code: string; map: string } | { ok: false; errors: SyntaxProblem[] };

let ts: typeof TS | null = null;

/** Loaded on first use: only notebooks that import an exercise, and the grader, pay for the compiler. */
function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (ts ??= require("typescript") as typeof TS);
}

/** `fileName` names the source in the source map and in positions (e.g. "min-pool.ts"). */
export function transpile(source: string, fileName: string): Transpiled {
  const t = typescript();
  const out = t.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: t.ModuleKind.CommonJS,
      target: t.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: true,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error);
  if (errors.length) {
    return {
      ok: false,
      errors: errors.map((d) => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        return { line: at.line + 1, column: at.character + 1, message: t.flattenDiagnosticMessageText(d.messageText, " ") };
      }),
    };
  }
  // The map goes its own way (the grader keeps it to place errors); no reference to it in the code.
  return { ok: true, code: out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n"), map: out.sourceMapText ?? "" };
}

/** `exercises/min-pool.ts:2:1: '}' expected.`, one per problem (the first `max` of them). */
export function syntaxErrorLines(shown: string, errors: readonly SyntaxProblem[], max = Infinity): string[] {
  return errors.slice(0, max).map((e) => `${shown}:${e.line}:${e.column}: ${e.message}`);
}

/** The code with its source map inlined (for Node's and the notebook's stack traces). */
export function withInlineMap(code: string, map: string): string {
  return `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`;
}
