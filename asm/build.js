#!/usr/bin/env node
// Part of `npm run build`: compile asm/pool.ts (AssemblyScript) to dist/pooling/fast/pool.wasm
// with WebAssembly SIMD and a shared memory imported from JS (src/tensor/heap.ts makes it), and
// write dist/pooling/fast/pool.abi.json: each exported kernel's parameter names in order, read
// from the kernel's own declaration (asm/pool.ts re-exports them from one file per idea), so a
// kernel's signature is declared in one place (the kernel) and
// src/pooling/fast/runtime.ts calls kernels with named arguments.
// Skipped when both are newer than their sources. `--force` rebuilds anyway.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const source = path.join(__dirname, "pool.ts");
const out = path.join(root, "dist", "pooling", "fast", "pool.wasm");
const abi = path.join(root, "dist", "pooling", "fast", "pool.abi.json");
const sources = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts")).map((f) => path.join(__dirname, f));
const inputs = [...sources, __filename, path.join(root, "package-lock.json")];

const mtime = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
if (!process.argv.includes("--force") && Math.min(mtime(out), mtime(abi)) > Math.max(...inputs.map(mtime))) process.exit(0);

/**
 * { name: [parameter names] } of every function the AssemblyScript entry exports: declared there
 * (`export function`) or re-exported from a sibling file (`export { a, b } from "./file"`).
 */
function exportedSignatures(file) {
  const ts = require("typescript");
  const parse = (f) => ts.createSourceFile(f, fs.readFileSync(f, "utf8"), ts.ScriptTarget.Latest, false);
  const declared = (sourceFile) => {
    const out = {};
    for (const node of sourceFile.statements) {
      if (!ts.isFunctionDeclaration(node) || !node.name) continue;
      if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      out[node.name.text] = node.parameters.map((p) => p.name.getText(sourceFile));
    }
    return out;
  };
  const entry = parse(file);
  const signatures = declared(entry);
  for (const node of entry.statements) {
    if (!ts.isExportDeclaration(node) || !node.moduleSpecifier || !node.exportClause) continue;
    const from = path.join(path.dirname(file), `${node.moduleSpecifier.text}.ts`);
    const there = declared(parse(from));
    for (const element of node.exportClause.elements) {
      const name = element.name.text;
      if (!there[name]) throw new Error(`${path.relative(root, from)} exports no function ${name}`);
      signatures[name] = there[name];
    }
  }
  return signatures;
}

fs.mkdirSync(path.dirname(out), { recursive: true });
const asc = require.resolve("assemblyscript/bin/asc.js");
const tmp = `${out}.${process.pid}.tmp`;
const r = spawnSync(
  process.execPath,
  [
    asc, source, "--outFile", tmp,
    "-O3", "--noAssert", "--runtime", "stub", "--use", "abort=",
    "--enable", "simd,threads",
    // The memory comes from JS: shared, up to 4 GiB (65536 pages), first page for static data.
    "--importMemory", "--noExportMemory", "--sharedMemory", "--initialMemory", "16", "--maximumMemory", "65536",
  ],
  { stdio: "inherit" },
);
if (r.status !== 0) {
  fs.rmSync(tmp, { force: true });
  process.exit(r.status ?? 1);
}
fs.renameSync(tmp, out);
fs.writeFileSync(`${abi}.${process.pid}.tmp`, JSON.stringify(exportedSignatures(source), null, 1) + "\n");
fs.renameSync(`${abi}.${process.pid}.tmp`, abi);
