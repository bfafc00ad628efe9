import * as fs from "node:fs";
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { relationProblem } = require("./relations.js") as { relationProblem(a: string, op: string, b: string): string | null };

/**
 * What a chapter notebook must show once it has run, checked the same way whoever ran it: the
 * Node runner (test/helpers/kernel.ts), `jupyter nbconvert --execute` (scripts/ci/), or a bench.
 * Everything here reads nbformat-4 JSON (outputs as Jupyter saves them), so one set of rules
 * covers every way of running a notebook.
 */

export const ROOT = path.resolve(__dirname, "..", "..");
export const KERNEL_NAME = "d2l-pooling-typescript";
export const FIXTURE_FILE = path.join(ROOT, "test", "fixtures", "notebook-outputs.json");
/** The chapter's notebooks (the deliverables); more `notebooks/<lang>/*.ipynb` files are run too. */
export const CHAPTER_NOTEBOOKS = ["zh/pooling.ipynb", "zh/pooling-explore.ipynb", "en/pooling.ipynb", "en/pooling-explore.ipynb"]
  .map((f) => path.join(ROOT, "notebooks", f));
/** Text every figure's HTML carries: the call that draws it (src/plot/html.ts). */
export const PLOTLY_CALL = "Plotly.newPlot(";
/** The banner at the top of the plotly bundle: the first figure of a session carries it. */
export const PLOTLY_BUNDLE_BANNER = "plotly.js v";

export type MultilineString = string | string[];

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | string;
  name?: string;
  text?: MultilineString;
  data?: Record<string, MultilineString | unknown>;
  metadata?: Record<string, unknown>;
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  cell_type: "code" | "markdown" | "raw" | string;
  id?: string;
  source: MultilineString;
  metadata?: { d2l?: D2lMetadata; [key: string]: unknown };
  outputs?: Output[];
  execution_count?: number | null;
}

/** What scripts/notebooks/build.js records in a cell's metadata. */
export interface D2lMetadata {
  /** A code cell's stdout must equal this fixture id's text (PyTorch's). */
  expect?: string;
  /** ...but only once this exercise is solved (the run loads the reference solutions). */
  needs?: string;
  /** A markdown cell's numbers taken from code cells: `text` appears in what cell `cell` prints. */
  cites?: { cell: string; text: string }[];
  /** Comparisons the prose makes between cited numbers: `left op right` must hold (op: <, >, =, ≈). */
  compares?: { left: { cell: string; text: string }; op: string; right: { cell: string; text: string } }[];
  figure?: boolean;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string }; [key: string]: unknown };
  cells: Cell[];
}

/**
 * How a code cell's run ended, as the Node runner saw it (the execute_reply's status). nbconvert
 * does not save the reply; there errors show as outputs (tslab writes them to stderr).
 */
export type CellStatus = "ok" | "error" | "abort" | "timeout" | "not run";

export interface CellRun {
  /** Index in `notebook.cells` (all cells, markdown included: the index Jupyter shows). */
  index: number;
  status: CellStatus;
  ms?: number;
}

export interface Problem {
  notebook: string;
  /** Index of the cell in the notebook (all cells counted), or null for the whole notebook. */
  cell: number | null;
  message: string;
}

export const text = (value: MultilineString | undefined): string => (Array.isArray(value) ? value.join("") : value ?? "");

export function readNotebook(file: string): Notebook {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`Cannot read notebook ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(raw) as Notebook;
  } catch (error) {
    throw new Error(`${file} is not valid notebook JSON: ${(error as Error).message}`);
  }
}

/** `notebooks/<lang>/*.ipynb`, sorted; files starting with "_" or "." (scratch, checkpoints) are skipped. */
export function findNotebooks(folder = path.join(ROOT, "notebooks")): string[] {
  if (!fs.existsSync(folder)) return [];
  const found: string[] = [];
  for (const lang of fs.readdirSync(folder).sort()) {
    const dir = path.join(folder, lang);
    if (lang.startsWith(".") || !fs.statSync(dir).isDirectory()) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.endsWith(".ipynb") && !name.startsWith("_") && !name.startsWith(".")) found.push(path.join(dir, name));
    }
  }
  return found;
}

export function loadFixture(file = FIXTURE_FILE): Record<string, string> {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} is missing: it holds what PyTorch prints for every cell tagged "d2l": {"expect": id}.`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>;
}

/** What a cell printed: stdout and text/plain results in order, the trailing newlines trimmed. */
export function printedText(outputs: readonly Output[]): string {
  let out = "";
  for (const o of outputs) {
    if (o.output_type === "stream" && o.name === "stdout") out += text(o.text);
    else if (o.output_type === "execute_result" && o.data && "text/plain" in o.data) {
      if (out && !out.endsWith("\n")) out += "\n";
      out += text(o.data["text/plain"] as MultilineString) + "\n";
    }
  }
  return trimNewlines(out);
}

const trimNewlines = (s: string) => s.replace(/\n+$/, "");

export const expectId = (cell: Cell): string | undefined => cell.metadata?.d2l?.expect;

/** A figure cell shows a plotly figure: it calls `show(...)` (d2l-pooling/plot) or says so in metadata. */
export const isFigureCell = (cell: Cell): boolean =>
  cell.cell_type === "code" && (cell.metadata?.d2l?.figure === true || /(^|[^.\w])show\s*\(/.test(text(cell.source)));

/** The first line of a cell's source, for messages. */
export function sourceHead(cell: Cell, width = 72): string {
  const lines = text(cell.source).split("\n");
  const first = lines[0].length > width ? lines[0].slice(0, width - 1) + "…" : lines[0];
  return lines.length > 1 ? `${first} (+${lines.length - 1} lines)` : first;
}

function clip(s: string, max = 1500): string {
  return s.length > max ? `${s.slice(0, max)}… [${s.length - max} more characters]` : s;
}

/** Expected vs actual, with the first line that differs pointed at. */
export function describeMismatch(expected: string, actual: string): string {
  const e = expected.split("\n");
  const a = actual.split("\n");
  let line = 0;
  while (line < e.length && line < a.length && e[line] === a[line]) line++;
  const show = (s: string) => clip(s).split("\n").map((l) => `      | ${l}`).join("\n");
  return [
    `first difference at line ${line + 1}: expected ${JSON.stringify(e[line] ?? "<end of text>")}, got ${JSON.stringify(a[line] ?? "<end of text>")}`,
    "    expected (PyTorch):",
    show(expected),
    "    actual:",
    show(actual),
  ].join("\n");
}

function htmlOf(o: Output): string | null {
  if (o.output_type !== "display_data" && o.output_type !== "execute_result") return null;
  const html = o.data?.["text/html"];
  return html === undefined ? null : text(html as MultilineString);
}

export interface CheckOptions {
  /** Name used in messages (e.g. notebooks/zh/pooling.ipynb). */
  name: string;
  fixture: Record<string, string>;
  /** Statuses from the Node runner; without them (nbconvert), every cell counts as run. */
  runs?: readonly CellRun[];
  /**
   * The kernel loaded the reference solutions (D2L_EXERCISES_DIR=solutions): cells marked `needs`
   * are compared with their fixtures too. Otherwise they print the student's state and are not.
   */
  solutions?: boolean;
}

/** Whether `printed` shows `number` as printed (not as part of a longer number: 0.5 is not in 0.5000). */
export function showsNumber(printed: string, number: string): boolean {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^0-9.])${escaped}(?![0-9])`).test(printed);
}

/** Every rule one executed notebook must satisfy. Returns the problems (empty: it passed). */
export function checkExecutedNotebook(nb: Notebook, { name, fixture, runs, solutions = false }: CheckOptions): Problem[] {
  const problems: Problem[] = [];
  const say = (cell: number | null, message: string) => {
    const head = cell === null ? "" : `cell ${cell} \`${sourceHead(nb.cells[cell])}\`: `;
    problems.push({ notebook: name, cell, message: head + message });
  };
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== KERNEL_NAME) say(null, `metadata.kernelspec.name is ${JSON.stringify(kernel)}, expected "${KERNEL_NAME}" (the kernel scripts/jupyter/kernel.js registers)`);

  const statusOf = new Map((runs ?? []).map((r) => [r.index, r]));
  let firstFigure = true;
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const outputs = cell.outputs ?? [];
    const run = statusOf.get(i);
    // nbconvert leaves execution_count empty for tslab (it takes it from execute_input, which tslab
    // does not send) and runs every cell with --allow-errors: without runs, errors show as outputs.
    const status: CellStatus = run ? run.status : "ok";
    if (status !== "ok") say(i, status === "not run" ? "was not run (an earlier cell failed or timed out)" : `execution ended with status "${status}"`);

    for (const o of outputs) {
      if (o.output_type === "error") say(i, `raised ${o.ename}: ${o.evalue}`);
      if (o.output_type === "stream" && o.name === "stderr") say(i, `wrote to stderr:\n${clip(text(o.text)).replace(/^/gm, "      | ")}`);
    }
    const printed = printedText(outputs);
    if (printed.includes(PLOTLY_CALL) || printed.includes('class="d2l-figure"')) {
      say(i, "printed a figure's HTML as text (the cell's last expression is show(...)'s returned string): end the cell with `void show(...)` or a statement");
    }

    const id = expectId(cell);
    if (id !== undefined && (cell.metadata?.d2l?.needs === undefined || solutions)) {
      if (!(id in fixture)) say(i, `is tagged "d2l": {"expect": ${JSON.stringify(id)}} but test/fixtures/notebook-outputs.json has no such id`);
      else if (status === "ok" && printed !== trimNewlines(fixture[id])) {
        say(i, `[expect ${JSON.stringify(id)}] printed text differs from PyTorch's\n${describeMismatch(trimNewlines(fixture[id]), printed)}`);
      }
    }

    if (isFigureCell(cell) && status === "ok") {
      const html = outputs.map(htmlOf).filter((h): h is string => h !== null);
      const figures = html.filter((h) => h.includes(PLOTLY_CALL));
      if (figures.length === 0) {
        say(i, `is a figure cell but produced no text/html display_data containing "${PLOTLY_CALL}" (outputs: ${outputs.map((o) => o.output_type).join(", ") || "none"})`);
      } else if (firstFigure && !figures[0].includes(PLOTLY_BUNDLE_BANNER)) {
        say(i, "is the notebook's first figure but its HTML does not carry the plotly bundle, so the browser cannot draw any figure");
      }
      if (figures.length > 0) firstFigure = false;
    }
  });
  problems.push(...checkCitations(nb, name, statusOf, solutions));
  return problems;
}

/** Every number the prose cites appears in what the cited cell printed, and every comparison holds. */
function checkCitations(nb: Notebook, name: string, statusOf: Map<number, CellRun>, solutions: boolean): Problem[] {
  const problems: Problem[] = [];
  const byId = new Map(nb.cells.map((c, i) => [c.id, i]));
  nb.cells.forEach((cell, i) => {
    for (const { left, op, right } of cell.metadata?.d2l?.compares ?? []) {
      const wrong = relationProblem(left.text, op, right.text);
      if (wrong) problems.push({ notebook: name, cell: i, message: `markdown cell ${i} compares ${left.text} ${op} ${right.text}: ${wrong}` });
    }
    for (const { cell: cited, text: number } of cell.metadata?.d2l?.cites ?? []) {
      const at = byId.get(cited);
      if (at === undefined) {
        problems.push({ notebook: name, cell: i, message: `markdown cell ${i} cites ${number} from cell "${cited}", which this notebook does not have` });
        continue;
      }
      const source = nb.cells[at];
      const status = statusOf.get(at)?.status ?? "ok";
      if (status !== "ok" || (source.metadata?.d2l?.needs !== undefined && !solutions)) continue;
      const printed = printedText(source.outputs ?? []);
      if (!showsNumber(printed, number)) {
        problems.push({
          notebook: name,
          cell: i,
          message: `markdown cell ${i} says ${number}, but cell ${at} \`${sourceHead(source)}\` printed:\n${clip(printed).replace(/^/gm, "      | ")}`,
        });
      }
    }
  });
  return problems;
}

/** Across notebooks: every tagged id has a fixture, and every fixture id is used by some notebook. */
export function checkFixtureCoverage(files: readonly string[], fixture: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  const used = new Set<string>();
  for (const file of files) {
    const nb = readNotebook(file);
    nb.cells.forEach((cell, i) => {
      const id = expectId(cell);
      if (id === undefined) return;
      used.add(id);
      if (cell.cell_type !== "code") problems.push({ notebook: rel(file), cell: i, message: `cell ${i} is a ${cell.cell_type} cell tagged "expect": ${JSON.stringify(id)}; only code cells print` });
      if (!(id in fixture)) problems.push({ notebook: rel(file), cell: i, message: `cell ${i} \`${sourceHead(cell)}\`: tagged "expect": ${JSON.stringify(id)} but the fixture has no such id` });
    });
  }
  for (const id of Object.keys(fixture)) {
    if (!used.has(id)) problems.push({ notebook: "test/fixtures/notebook-outputs.json", cell: null, message: `fixture id ${JSON.stringify(id)} is not used by any notebook cell` });
  }
  return problems;
}

export const rel = (file: string): string => path.relative(ROOT, file) || file;

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.notebook}: ${p.message}`).join("\n");
}
