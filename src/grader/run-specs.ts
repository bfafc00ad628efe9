/**
 * The spec runner: a child process that runs the graded specs with vitest and reports every test and
 * every submission's test file to its parent (./grade.ts) over IPC. It is started in its own process
 * group, so the parent can kill it, vitest's workers and every sandbox process at once.
 *
 *   node dist/grader/run-specs.js '<RunRequest as JSON>'      (with an IPC channel)
 */
import { pathToFileURL } from "node:url";
import type { RunRequest, RunnerMessage } from "./protocol";
import { solutionsPlugin } from "./solutions-plugin";

/** import() that TypeScript's CommonJS output leaves alone (vitest is ESM only). */
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

function send(message: RunnerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) {
    const err = e as { name?: string; message?: unknown };
    const name = err.name && err.name !== "Error" && err.name !== "GradeFailure" ? `${err.name}: ` : "";
    return `${name}${String(err.message)}`;
  }
  return String(e);
}

// Minimal structural types of the vitest reporter API we use (vitest's own types are ESM-only).
interface TestCaseLike {
  name: string;
  module: { moduleId: string };
  meta(): Record<string, unknown>;
  result(): { state: "passed" | "failed" | "skipped" | "pending"; errors?: ReadonlyArray<unknown> };
  annotations(): ReadonlyArray<{ message: string; type: string }>;
}
interface TestModuleLike {
  moduleId: string;
  state(): string;
  errors(): ReadonlyArray<unknown>;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? "{}") as RunRequest;
  const expected = request.expected;
  if (expected.mode === "recorded") process.env.GRADE_EXPECTED_DIR = expected.dir;
  if (expected.mode === "record") process.env.GRADE_RECORD_DIR = expected.dir;
  const pending: Promise<void>[] = [];
  const reporter = {
    onTestCaseResult(testCase: TestCaseLike) {
      const meta = testCase.meta();
      const result = testCase.result();
      pending.push(
        send({
          type: "case",
          file: testCase.module.moduleId,
          exercise: typeof meta.exercise === "string" ? meta.exercise : null,
          part: typeof meta.part === "string" ? meta.part : null,
          name: testCase.name,
          state: result.state,
          message: result.errors && result.errors.length ? errorMessage(result.errors[0]) : null,
          annotations: testCase.annotations().map((a) => a.message),
        }),
      );
    },
    onTestModuleEnd(testModule: TestModuleLike) {
      pending.push(send({ type: "module", file: testModule.moduleId, state: testModule.state(), errors: testModule.errors().map(errorMessage) }));
    },
  };
  const vitestNode = (await importEsm(pathToFileURL(require.resolve("vitest/node", { paths: [request.root] })).href)) as {
    createVitest: (mode: "test", options: Record<string, unknown>, viteOverrides?: Record<string, unknown>) => Promise<{
      start(filters?: string[]): Promise<unknown>;
      close(): Promise<void>;
      state: { getUnhandledErrors(): unknown[] };
    }>;
  };
  const plugins = expected.mode === "solutions" ? [] : [solutionsPlugin({ mode: expected.mode, root: request.root })];
  const vitest = await vitestNode.createVitest(
    "test",
    {
      config: false,
      root: request.root,
      dir: request.specsDir,
      include: ["*.grade.ts"],
      watch: false,
      reporters: [reporter],
      testTimeout: request.testTimeout,
      hookTimeout: request.testTimeout,
      pool: "forks",
      maxWorkers: request.maxWorkers,
      // One worker grades many submissions, loading the specs once (./spec/submission.ts);
      // no submission code runs in it, so nothing can leak from one submission to the next.
      isolate: false,
      passWithNoTests: true,
      // Profiling the workers (bench/grading.js --profile): a CPU profile per worker in this folder.
      ...(process.env.GRADE_CPU_PROF_DIR ? { execArgv: ["--cpu-prof", `--cpu-prof-dir=${process.env.GRADE_CPU_PROF_DIR}`] } : {}),
    },
    { plugins },
  );
  try {
    await vitest.start();
    await Promise.all(pending);
    await send({ type: "done", errors: vitest.state.getUnhandledErrors().map(errorMessage) });
  } finally {
    await vitest.close();
  }
}

main().then(
  () => process.exit(0),
  async (e) => {
    await send({ type: "fatal", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  },
);
