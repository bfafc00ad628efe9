/**
 * The TypeScript type check of submissions, for their feedback.
 *
 * Policy ("graded honestly"): a type error does not cost points by itself. The grader runs the code
 * as written with its types stripped (as vitest, tsx or a notebook would), and every part is graded
 * on what the code computes; the type errors are listed in the feedback (a 0-point "type check"
 * test in results.json) so the student learns about them. A SYNTAX error is different: the file
 * cannot run, so every part of that exercise scores 0 and says where the error is.
 *
 * One student can neither change another's check nor exhaust it:
 * - students are checked in groups sharing one program (every file is a module:
 *   `moduleDetection: force`), each in a folder of its own, and an import can reach only the
 *   student's own files, "d2l-pooling" and Node's types;
 * - a file that could change what other files mean — a global or module augmentation, an ambient
 *   module, `export as namespace`, a `/// <reference>` — is found in its syntax tree (not by a text
 *   search) and its student is checked in a program of their own;
 * - the checker is a child process (`node typecheck.js`, a line of JSON per group on stdin, a line
 *   per group on stdout) with a heap cap and a CPU-time budget per group: a group that runs out of
 *   either is checked again one student at a time, so only the student who caused it goes without.
 * The sources it reads are the grader's capped copies (./sandbox/prepare.ts CAPS).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as TS from "typescript";
import { builtGraderDir } from "./paths";

export interface TypecheckInput {
  id: string;
  /** Folder of the submission's copied .ts files. */
  dir: string;
}

/** File name → diagnostics ("min-pool.ts:12:5 error TS2322: ..."), or why the check did not run. */
export type TypecheckResult = { errors: Record<string, string[]> } | { problem: string };

export interface TypecheckOptions {
  /** Students per shared program. */
  groupSize?: number;
  /** CPU seconds a group may use before it is split (a single student: before giving up). */
  cpuSecondsPerGroup?: number;
  /** Heap of the checker process, MB. */
  memoryMb?: number;
  /** Extra environment for the checker process (the run's marker). */
  env?: NodeJS.ProcessEnv;
  /** Called with the checker's pid while it runs (so the run can stop it). */
  onProcess?: (child: ChildProcess | null) => void;
}

/** Diagnostics kept per file, and the longest one kept. */
export const TYPECHECK_CAPS = Object.freeze({ perFile: 20, chars: 500 });

// 50 a group: ~3.5 s less CPU than 25 for a class of 100 (a group reads the library types once)
const DEFAULTS = { groupSize: 50, cpuSecondsPerGroup: 60, memoryMb: 1536 };

interface Group {
  members: TypecheckInput[];
}

/** Type-checks every input; resolves with one result per id (never rejects). */
export async function typecheckSubmissions(root: string, inputs: TypecheckInput[], options: TypecheckOptions = {}): Promise<Record<string, TypecheckResult>> {
  const checker = new Typechecker(root, options);
  try {
    return await checker.check(inputs);
  } finally {
    checker.stop();
  }
}

/**
 * The checker process kept for later checks (the warm grader: ../warm/), so a student's second
 * check reuses the library's parsed declarations. A group that exhausts it is checked again one
 * student at a time, by a new process.
 */
export class Typechecker {
  private checker: Checker | null = null;
  private readonly o: typeof DEFAULTS & TypecheckOptions;

  constructor(
    private readonly root: string,
    options: TypecheckOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
  }

  async check(inputs: TypecheckInput[]): Promise<Record<string, TypecheckResult>> {
    const results: Record<string, TypecheckResult> = {};
    const queue: Group[] = [];
    for (let k = 0; k < inputs.length; k += this.o.groupSize) queue.push({ members: inputs.slice(k, k + this.o.groupSize) });
    while (queue.length) {
      const group = queue.shift()!;
      this.checker ??= new Checker(this.root, this.o);
      const answer = await this.checker.check(group.members);
      if ("results" in answer) {
        for (const m of group.members) results[m.id] = answer.results[m.id] ?? { problem: "the type check gave no answer for this submission" };
        continue;
      }
      this.checker.stop();
      this.checker = null;
      if (group.members.length > 1) {
        // Someone in this group exhausted the checker: check them one by one.
        queue.unshift(...group.members.map((m) => ({ members: [m] })));
      } else {
        results[group.members[0].id] = { problem: answer.problem };
      }
    }
    return results;
  }

  stop(): void {
    this.checker?.stop();
    this.checker = null;
    this.o.onProcess?.(null);
  }
}

/** One checker process, reused for group after group while it keeps up. */
class Checker {
  private child: ChildProcess;
  private lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private exited = false;
  private stderr = "";

  constructor(
    private readonly root: string,
    private readonly o: typeof DEFAULTS & TypecheckOptions,
  ) {
    this.child = spawn(process.execPath, [`--max-old-space-size=${o.memoryMb}`, path.join(builtGraderDir(), "typecheck.js")], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...o.env, NODE_OPTIONS: "" },
    });
    o.onProcess?.(this.child);
    // Feedback only: it may wait for the cores the grading leaves idle.
    try {
      if (this.child.pid) os.setPriority(this.child.pid, 10);
    } catch {
      // not allowed here: same priority
    }
    let buffer = "";
    this.child.stdout!.on("data", (c: Buffer) => {
      buffer += c.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        this.lines.push(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
      this.flush();
    });
    this.child.stderr!.on("data", (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-4000)));
    this.child.stdin!.on("error", () => undefined);
    this.child.on("exit", () => {
      this.exited = true;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.waiting) return;
    if (this.lines.length) this.waiting(this.lines.shift()!);
    else if (this.exited) this.waiting(null);
  }

  private next(): Promise<string | null> {
    return new Promise((resolve) => {
      this.waiting = (line) => {
        this.waiting = null;
        resolve(line);
      };
      this.flush();
    });
  }

  async check(members: TypecheckInput[]): Promise<{ results: Record<string, TypecheckResult> } | { problem: string }> {
    if (this.exited) return { problem: "the type check stopped" };
    const startCpu = cpuSeconds(this.child.pid);
    let overBudget = false;
    const watch = setInterval(() => {
      const used = cpuSeconds(this.child.pid) - startCpu;
      if (used > this.o.cpuSecondsPerGroup) {
        overBudget = true;
        this.child.kill("SIGKILL");
      }
    }, 250);
    try {
      this.child.stdin!.write(`${JSON.stringify({ root: this.root, inputs: members })}\n`);
      const line = await this.next();
      if (line === null) {
        if (overBudget) return { problem: `the type check of these files needed more than ${this.o.cpuSecondsPerGroup} s of CPU time and was stopped` };
        if (/heap out of memory|Reached heap limit/i.test(this.stderr)) return { problem: `the type check of these files ran out of memory (${this.o.memoryMb} MB) and was stopped` };
        return { problem: `the type check stopped (${this.stderr.trim().split("\n").pop() || "no message"})` };
      }
      return { results: JSON.parse(line) as Record<string, TypecheckResult> };
    } catch (e) {
      return { problem: `the type check failed: ${(e as Error).message}` };
    } finally {
      clearInterval(watch);
    }
  }

  stop(): void {
    this.child.stdin!.end();
    if (!this.exited) this.child.kill("SIGKILL");
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), 0 when unknown. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// The child process

/** Whether a file can change what other files in its program mean (so it needs a program of its own). */
export function affectsOthers(ts: typeof TS, sf: TS.SourceFile): boolean {
  if (sf.referencedFiles.length || sf.typeReferenceDirectives.length || sf.libReferenceDirectives.length) return true;
  const walk = (statements: readonly TS.Statement[]): boolean =>
    statements.some((s) => {
      if (ts.isNamespaceExportDeclaration(s)) return true; // export as namespace X: a global
      if (!ts.isModuleDeclaration(s)) return false;
      // declare global { ... }, declare module "x" { ... } (an ambient module or an augmentation)
      if (s.flags & ts.NodeFlags.GlobalAugmentation || ts.isStringLiteral(s.name)) return true;
      return s.body !== undefined && ts.isModuleBlock(s.body) && walk(s.body.statements);
    });
  return walk(sf.statements);
}

function options(ts: typeof TS, root: string): TS.CompilerOptions {
  return {
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
  };
}

/** A compiler host over virtual student folders (/submissions/<program>/<n>/), caching the library's files. */
function makeHost(ts: typeof TS, root: string, compilerOptions: TS.CompilerOptions) {
  const base = ts.createCompilerHost(compilerOptions);
  const cache = new Map<string, TS.SourceFile | undefined>();
  const virtual = new Map<string, string>();
  const library = path.join(root, "dist", "index.d.ts");
  const inVirtual = (f: string) => f.startsWith("/submissions/");
  const host: TS.CompilerHost = {
    ...base,
    fileExists: (f) => virtual.has(f) || (!inVirtual(f) && base.fileExists(f)),
    readFile: (f) => (virtual.has(f) ? virtual.get(f) : inVirtual(f) ? undefined : base.readFile(f)),
    getSourceFile: (f, lang) => {
      if (virtual.has(f)) return ts.createSourceFile(f, virtual.get(f)!, lang, true);
      if (!cache.has(f)) cache.set(f, base.getSourceFile(f, lang));
      return cache.get(f);
    },
    // A student's import reaches its own folder, "d2l-pooling" and packages' types — never another student.
    resolveModuleNames: (names, containingFile) =>
      names.map((name) => {
        if (name === "d2l-pooling") return { resolvedFileName: library, extension: ts.Extension.Dts, isExternalLibraryImport: false };
        if (name.startsWith(".") || name.startsWith("/")) {
          if (!inVirtual(containingFile)) return ts.resolveModuleName(name, containingFile, compilerOptions, host).resolvedModule;
          const dir = path.posix.dirname(containingFile);
          const target = path.posix.resolve(dir, name).replace(/\.(ts|js)$/, "");
          return path.posix.dirname(target) === dir && virtual.has(`${target}.ts`) ? { resolvedFileName: `${target}.ts`, extension: ts.Extension.Ts } : undefined;
        }
        return ts.resolveModuleName(name, containingFile, compilerOptions, { ...host, fileExists: base.fileExists, readFile: base.readFile }).resolvedModule;
      }),
  };
  return { host, virtual };
}

function diagnosticsOf(ts: typeof TS, program: TS.Program, file: string, shown: string): string[] {
  const sf = program.getSourceFile(file);
  if (!sf) return [];
  const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].filter((d) => d.category === ts.DiagnosticCategory.Error);
  const lines = diags.slice(0, TYPECHECK_CAPS.perFile).map((d) => {
    const at = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : null;
    const text = `${shown}${at ? `:${at.line + 1}:${at.character + 1}` : ""} error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    return text.length > TYPECHECK_CAPS.chars ? `${text.slice(0, TYPECHECK_CAPS.chars)}…` : text;
  });
  if (diags.length > TYPECHECK_CAPS.perFile) lines.push(`… and ${diags.length - TYPECHECK_CAPS.perFile} more`);
  return lines;
}

function readSources(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  } catch {
    return files;
  }
  for (const f of names) files[f] = fs.readFileSync(path.join(dir, f), "utf8");
  return files;
}

/** Checks one group: students sharing a program, and those whose files affect others each alone. */
function checkGroup(ts: typeof TS, root: string, env: ReturnType<typeof makeHost>, compilerOptions: TS.CompilerOptions, inputs: TypecheckInput[]): Record<string, TypecheckResult> {
  const results: Record<string, TypecheckResult> = {};
  const sources = new Map(inputs.map((i) => [i.id, readSources(i.dir)]));
  const own = inputs.filter((i) => Object.entries(sources.get(i.id)!).some(([name, text]) => affectsOthers(ts, ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, false))));
  const programs: TypecheckInput[][] = [...own.map((i) => [i]), inputs.filter((i) => !own.includes(i))].filter((p) => p.length > 0);
  programs.forEach((members, p) => {
    env.virtual.clear();
    const files: { id: string; file: string; name: string }[] = [];
    members.forEach((input, n) => {
      for (const [name, text] of Object.entries(sources.get(input.id)!)) {
        const file = `/submissions/${p}/${n}/${name}`;
        env.virtual.set(file, text);
        files.push({ id: input.id, file, name });
      }
    });
    const program = ts.createProgram(
      files.map((f) => f.file),
      compilerOptions,
      env.host,
    );
    for (const input of members) results[input.id] = { errors: {} };
    for (const f of files) {
      const lines = diagnosticsOf(ts, program, f.file, f.name);
      if (lines.length) (results[f.id] as { errors: Record<string, string[]> }).errors[f.name] = lines;
    }
  });
  return results;
}

if (require.main === module) {
  let ts: typeof TS | null = null;
  let env: ReturnType<typeof makeHost> | null = null;
  let compilerOptions: TS.CompilerOptions | null = null;
  let buffer = "";
  process.stdin.on("data", (c: Buffer) => {
    buffer += c.toString();
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const { root, inputs } = JSON.parse(buffer.slice(0, nl)) as { root: string; inputs: TypecheckInput[] };
      buffer = buffer.slice(nl + 1);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ts ??= require(require.resolve("typescript", { paths: [root] })) as typeof TS;
      compilerOptions ??= options(ts, root);
      env ??= makeHost(ts, root, compilerOptions);
      process.stdout.write(`${JSON.stringify(checkGroup(ts, root, env, compilerOptions, inputs))}\n`);
    }
  });
}
