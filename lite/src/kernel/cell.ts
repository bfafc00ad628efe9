/**
 * One notebook cell, TypeScript → a JavaScript function body, so cells behave as they do in tslab:
 *
 * - a later cell may declare a name again (`const X` in one cell, `let X` in the next);
 * - names from earlier cells are visible, and `let` names can be assigned from later cells;
 * - `await` works at the top level;
 * - the value of a last expression statement is the cell's result (tslab displays it).
 *
 * How: the cell runs as the body of an async function inside `with (scope)`. Its imports become
 * `const` declarations from `$$cell.require(...)`. Every name it declares at the top level is put
 * on `scope` as an accessor that reads and writes the cell's own binding (so a function from an
 * earlier cell that changes its `let` is seen later), falling back to the previous cell's value of
 * that name until the new binding is initialised. Types are stripped by TypeScript's
 * `transpileModule`, which checks syntax, not types (as tslab's "--no-type-check" would).
 */
import type * as TS from "typescript";

export interface CellProblem {
  /** 1-based, in the cell. */
  line: number;
  column: number;
  message: string;
}

export type CompiledCell =
  | { ok: true; body: string; names: string[]; hasResult: boolean }
  | { ok: false; problems: CellProblem[] };

/** The hidden names a compiled body uses (they cannot clash with a TypeScript identifier a student writes by accident). */
export const CELL = "$$cell";
export const SCOPE = "$$scope";

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function compileCell(ts: typeof TS, source: string): CompiledCell {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const names = new Set<string>();
  const edits: Edit[] = [];
  const statements = file.statements;

  for (const statement of statements) {
    if (ts.isImportDeclaration(statement)) {
      edits.push({ start: statement.getStart(file), end: statement.getEnd(), text: importAsConst(ts, statement, names) });
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const ref = statement.moduleReference;
      if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression) && !statement.isTypeOnly) {
        names.add(statement.name.text);
        edits.push({ start: statement.getStart(file), end: statement.getEnd(), text: `const ${statement.name.text} = ${CELL}.require(${JSON.stringify(ref.expression.text)});` });
      }
    } else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      // `export { a }` / `export default x` mean nothing in a notebook: the names are shared anyway.
      edits.push({ start: statement.getStart(file), end: statement.getEnd(), text: "" });
    } else {
      stripExport(ts, statement, file, edits);
      declaredNames(ts, statement).forEach((n) => names.add(n));
    }
  }

  const last = statements[statements.length - 1];
  const hasResult = last !== undefined && ts.isExpressionStatement(last);
  if (hasResult) {
    const expr = (last as TS.ExpressionStatement).expression;
    edits.push({ start: expr.getStart(file), end: expr.getStart(file), text: `${CELL}.result = (` });
    edits.push({ start: expr.getEnd(), end: expr.getEnd(), text: ")" });
  }

  // Syntax errors are reported against the student's text, before any rewriting.
  const problems = syntaxProblems(ts, source, ts.ModuleKind.ESNext);
  if (problems.length) return { ok: false, problems };
  const out = ts.transpileModule(applyEdits(source, edits), {
    fileName: "cell.ts",
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      // A script, not a module: no "use strict" (the body runs inside `with`) and no exports object.
      module: ts.ModuleKind.None,
      moduleDetection: ts.ModuleDetectionKind.Legacy,
      alwaysStrict: false,
      esModuleInterop: true,
    },
  });
  const list = [...names];
  const binds = list.map((n) => `${CELL}.bind(${JSON.stringify(n)}, () => ${n}, (v) => { ${n} = v; });`).join("\n");
  return { ok: true, body: `${binds}\n${out.outputText}`, names: list, hasResult };
}

function syntaxProblems(ts: typeof TS, source: string, module: TS.ModuleKind): CellProblem[] {
  const out = ts.transpileModule(source, { fileName: "cell.ts", reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022, module } });
  return (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
      return { line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
    });
}

/** `import { a as b } from "m"` → `const { a: b } = $$cell.require("m");` (type-only parts dropped). */
function importAsConst(ts: typeof TS, node: TS.ImportDeclaration, names: Set<string>): string {
  const from = JSON.stringify((node.moduleSpecifier as TS.StringLiteral).text);
  const clause = node.importClause;
  if (!clause) return `${CELL}.require(${from});`;
  if (clause.isTypeOnly) return "";
  const parts: string[] = [];
  if (clause.name) {
    names.add(clause.name.text);
    parts.push(`const ${clause.name.text} = ${CELL}.importDefault(${CELL}.require(${from}));`);
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.add(bindings.name.text);
    parts.push(`const ${bindings.name.text} = ${CELL}.require(${from});`);
  } else if (bindings) {
    const specs = bindings.elements.filter((e) => !e.isTypeOnly);
    if (specs.length) {
      const fields = specs.map((e) => {
        names.add(e.name.text);
        return e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text;
      });
      parts.push(`const { ${fields.join(", ")} } = ${CELL}.require(${from});`);
    } else if (!clause.name) {
      parts.push(`${CELL}.require(${from});`);
    }
  }
  return parts.join(" ");
}

/** Names a top-level statement declares as values (types and `declare`d things are erased). */
function declaredNames(ts: typeof TS, node: TS.Statement): string[] {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) return [];
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.flatMap((d) => bindingNames(ts, d.name));
  if ((ts.isFunctionDeclaration(node) && node.body) || ts.isClassDeclaration(node)) return node.name ? [node.name.text] : [];
  if (ts.isEnumDeclaration(node) && !mods.some((m) => m.kind === ts.SyntaxKind.ConstKeyword)) return [node.name.text];
  return [];
}

function bindingNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : bindingNames(ts, e.name)));
}

/** `export const x = 1` → `const x = 1`. */
function stripExport(ts: typeof TS, node: TS.Statement, file: TS.SourceFile, edits: Edit[]): void {
  if (!ts.canHaveModifiers(node)) return;
  for (const m of ts.getModifiers(node) ?? []) {
    if (m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) {
      edits.push({ start: m.getStart(file), end: m.getEnd(), text: "" });
    }
  }
}

/** The edits applied; a replaced statement keeps its line count, so stack traces point at the student's lines. */
function applyEdits(source: string, edits: Edit[]): string {
  const lines = (s: string) => s.split("\n").length - 1;
  let out = "";
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const lost = lines(source.slice(e.start, e.end)) - lines(e.text);
    out += source.slice(at, e.start) + e.text + "\n".repeat(Math.max(0, lost));
    at = e.end;
  }
  return out + source.slice(at);
}
