/**
 * The TypeScript kernel's Web Worker: runs notebook cells as tslab does (./cell.ts, ./session.ts)
 * with the d2l-pooling module bundled in, and sends back what they print and display.
 */
import * as ts from "typescript";
import { format, inspect } from "node-inspect-extracted";
import { addFile } from "../shims/fs";
import { compileCell } from "./cell";
import { requireModule, setExerciseSources } from "./modules";
import { setPlotlyBundleText } from "./plotly-bundle";
import type { FromWorker, ToWorker } from "./protocol";
import { Session } from "./session";
import { setDisplaySink } from "./tslab";
import { setLang } from "./grader";
import { expected } from "lite:specs";
import { PROJECT } from "../grade/project";
import { F, torch } from "../../../src/index";
import { fastUnavailableReason, poolingPaths } from "../../../src/pooling/fast/index";

declare const __D2L_WASM_DIR__: string;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

/** The execute request whose outputs we are producing (late output goes to the last one). */
let current = 0;

for (const [method, stream] of [["log", "stdout"], ["info", "stdout"], ["debug", "stdout"], ["warn", "stderr"], ["error", "stderr"]] as const) {
  console[method] = (...args: unknown[]) => post({ type: "stream", id: current, name: stream, text: `${format(...args)}\n` });
}
setDisplaySink((data, displayId, update) =>
  post({ type: "display", id: current, data, displayId, update }),
);
self.addEventListener("unhandledrejection", (event) => {
  const e = (event as PromiseRejectionEvent).reason;
  post({ type: "stream", id: current, name: "stderr", text: `Unhandled promise rejection: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n` });
});

/** The files the module reads in Node (pool.wasm, its ABI) and the plotly bundle, fetched once. */
async function loadAssets(): Promise<void> {
  const get = async (name: string) => {
    const response = await fetch(new URL(name, self.location.href));
    if (!response.ok) throw new Error(`could not load ${name} from the site (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [wasm, abi, plotly] = await Promise.all([get("pool.wasm"), get("pool.abi.json"), get("../files/node_modules/plotly.js-dist-min/plotly.min.js")]);
  addFile(`${__D2L_WASM_DIR__}/pool.wasm`, wasm);
  addFile(`${__D2L_WASM_DIR__}/pool.abi.json`, abi);
  // The grader finds the project root by its package.json, and the recorded expected values of a
  // student site under test/exercises/expected/ (src/grader/paths.ts, spec/oracle.ts).
  addFile(`${PROJECT}/package.json`, new TextEncoder().encode(JSON.stringify({ name: "d2l-pooling" })));
  for (const [id, table] of Object.entries(expected)) addFile(`${PROJECT}/test/exercises/expected/${id}.json`, new TextEncoder().encode(table));
  setPlotlyBundleText(new TextDecoder().decode(plotly));
}

const session = new Session(requireModule);

/**
 * Which code pools here, said in the kernel's banner: one float32 max pool large enough for the
 * WebAssembly kernels (64 KiB) must have taken their path, not the reference loops.
 */
function checkPooling(): string {
  const before = poolingPaths().max_pool2d?.fast ?? 0;
  F.maxPool2d(torch.zeros(1, 1, 128, 128), 2);
  if ((poolingPaths().max_pool2d?.fast ?? 0) > before) return "WebAssembly kernels (pool.wasm), one thread";
  return `reference loops only: ${fastUnavailableReason() || "the WebAssembly kernels did not run"}`;
}

function errorOf(e: unknown): { ename: string; evalue: string; traceback: string[] } {
  if (e instanceof Error) {
    // Frames inside the kernel's own bundle say nothing to a student; the cell's and the exercise files' do.
    const frames = (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l) && !/kernel-worker\.js/.test(l));
    return { ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`, ...frames] };
  }
  return { ename: "Error", evalue: inspect(e), traceback: [`Uncaught ${inspect(e)}`] };
}

async function execute(m: Extract<ToWorker, { type: "execute" }>): Promise<boolean> {
  current = m.id;
  setExerciseSources(m.exercises);
  setLang(m.lang);
  const cell = compileCell(ts, m.code);
  if (!cell.ok) {
    const lines = cell.problems.map((p) => `cell:${p.line}:${p.column}: ${p.message}`);
    post({ type: "error", id: m.id, ename: "SyntaxError", evalue: lines.join("\n"), traceback: ["SyntaxError", ...lines] });
    return false;
  }
  try {
    const { value, hasResult } = await session.run(cell);
    if (hasResult && value !== undefined) post({ type: "result", id: m.id, data: { "text/plain": inspect(value) } });
    return true;
  } catch (e) {
    post({ type: "error", id: m.id, ...errorOf(e) });
    return false;
  }
}

/** Requests run one after another, in the order they came. */
let queue: Promise<unknown> = loadAssets().then(
  () => post({ type: "ready", pooling: checkPooling() }),
  (e: Error) => post({ type: "failed", message: e.message }),
);

self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  if (m.type === "execute") {
    queue = queue.then(async () => post({ type: "done", id: m.id, ok: await execute(m) }));
  } else if (m.type === "complete") {
    queue = queue.then(() => post({ type: "completions", id: m.id, ...complete(m.code, m.cursor) }));
  }
});

/** Names in scope that start with the word before the cursor (tab completion). */
function complete(code: string, cursor: number): { matches: string[]; start: number; end: number } {
  const word = /[\w$]*$/.exec(code.slice(0, cursor))![0];
  const names = new Set<string>();
  for (let o: object | null = session.scope; o; o = Object.getPrototypeOf(o)) Object.keys(o).forEach((k) => names.add(k));
  Object.getOwnPropertyNames(globalThis).forEach((k) => names.add(k));
  return { matches: [...names].filter((n) => n.startsWith(word)).sort(), start: cursor - word.length, end: cursor };
}
