// Lets plain Node scripts (scripts/ci/, bench/) load the TypeScript test helpers
// (test/helpers/kernel*.ts) that vitest runs, so every way of running a notebook shares one
// runner and one set of checks. Transpile only (no type check: `npm run typecheck` does that).
const fs = require("node:fs");
const ts = require("typescript");

if (!require.extensions[".ts"]) {
  require.extensions[".ts"] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        inlineSourceMap: true,
      },
    });
    module._compile(outputText, filename);
  };
}
