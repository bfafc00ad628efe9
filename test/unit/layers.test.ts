/**
 * src/ reads top to bottom: no import cycle anywhere (type-only imports count too), and the
 * tensor core's lowest layers import nothing of the project. A cycle makes module load order
 * matter (a class can be undefined where it is used) and hides which file depends on which.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "..", "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Each file's project imports (resolved to files under src/). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith("."))
      .map((name) => {
        const base = resolve(dirname(file), name);
        return [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
      })
      .filter((f): f is string => f !== undefined);
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map((f) => relative(SRC, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("src/ has one-directional layers", () => {
  const graph = importGraph();

  it("finds the imports (the check itself works)", () => {
    expect(graph.get(join(SRC, "tensor", "tensor.ts"))).toContain(join(SRC, "tensor", "ops.ts"));
    const [a, b, c, d] = ["a.ts", "b.ts", "c.ts", "d.ts"].map((f) => join(SRC, f));
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]], [d, [a]]]))).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("no import cycle in src/", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("the tensor core's lowest layers import nothing of the project", () => {
    for (const leaf of ["dtype.ts", "shape.ts", "collector.ts", "decimal.ts"]) {
      expect(graph.get(join(SRC, "tensor", leaf)), leaf).toEqual([]);
    }
    // The heap's only helper is V8's collector.
    expect(graph.get(join(SRC, "tensor", "heap.ts"))).toEqual([join(SRC, "tensor", "collector.ts")]);
  });

  it("the ops under Tensor do not import it (Tensor wraps what they return)", () => {
    for (const low of ["storage.ts", "ops.ts", "reduce.ts", "indexing.ts", "random.ts", "format.ts"]) {
      expect(graph.get(join(SRC, "tensor", low)), low).not.toContain(join(SRC, "tensor", "tensor.ts"));
    }
  });
});
