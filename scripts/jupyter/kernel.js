// The project's Jupyter kernel: tslab (TypeScript) started with this project's own Node and
// node_modules, registered under one name that every notebook's metadata names.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const KERNEL_NAME = "d2l-pooling-typescript";
const DISPLAY_NAME = "TypeScript (d2l pooling)";

/** The kernel.json that starts tslab for this checkout. */
function kernelSpec() {
  const tslab = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab)) {
    throw new Error(`tslab is not installed in ${ROOT}/node_modules: run \`npm ci\` first.`);
  }
  return {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // tslab answers no debug_request, so say it: JupyterLab then shows its debugger as unavailable
    // for this kernel. (Lab 4.6 still logs "No active debugger session" after each cell for any
    // such kernel; that is Lab's own, see docs/jupyter.md.)
    metadata: { debugger: false },
  };
}

/** Where Jupyter looks for user kernels: $JUPYTER_DATA_DIR, `jupyter --data-dir`, or the platform default. */
function jupyterDataDir() {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  const asked = spawnSync("jupyter", ["--data-dir"], { encoding: "utf8" });
  if (asked.status === 0 && asked.stdout.trim()) return asked.stdout.trim();
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return path.join(process.env.APPDATA || os.homedir(), "jupyter");
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "jupyter");
}

/**
 * Register (or refresh) the kernel. Idempotent: rewrites kernel.json only when it changed.
 * `prefix` installs into PREFIX/share/jupyter/kernels (use with JUPYTER_PATH=PREFIX/share/jupyter).
 */
function installKernel({ prefix } = {}) {
  const base = prefix ? path.join(prefix, "share", "jupyter") : jupyterDataDir();
  const dir = path.join(base, "kernels", KERNEL_NAME);
  const file = path.join(dir, "kernel.json");
  const text = JSON.stringify(kernelSpec(), null, 2) + "\n";
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (before === text) return { dir, changed: false };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file + ".tmp", text);
  fs.renameSync(file + ".tmp", file); // never leave a half-written kernel.json
  return { dir, changed: true };
}

module.exports = { ROOT, KERNEL_NAME, DISPLAY_NAME, installKernel, kernelSpec };

if (require.main === module) {
  const i = process.argv.indexOf("--prefix");
  const prefix = i > 0 ? process.argv[i + 1] : undefined;
  try {
    const { dir, changed } = installKernel({ prefix });
    console.log(`${changed ? "Registered" : "Already registered"}: Jupyter kernel "${KERNEL_NAME}" (${DISPLAY_NAME}) in ${dir}`);
  } catch (error) {
    console.error(`kernel:install failed: ${error.message}`);
    process.exit(1);
  }
}
