// The project's Jupyter kernel: tslab (TypeScript) started with this copy's own Node and
// node_modules. Two names:
//   d2l-pooling-typescript            what every notebook's metadata names. `npm start` registers it
//                                     under a folder inside this copy and puts that folder first on
//                                     the JUPYTER_PATH of the Jupyter it starts: whatever else is
//                                     registered on the machine, npm start runs this copy's kernel.
//   d2l-pooling-typescript-<hash>     what `npm run kernel:install` registers for a Jupyter of the
//                                     user's own: one per copy (the hash of its folder), its display
//                                     name says which folder — two copies never replace each other.
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const KERNEL_NAME = "d2l-pooling-typescript";
const DISPLAY_NAME = "TypeScript (d2l pooling)";
/** Where npm start registers this copy's kernel: a folder inside the copy (ignored by git). */
const KERNEL_PREFIX = path.join(ROOT, ".d2l-kernel");

/** This copy's own kernel name and display name, for a Jupyter of the user's. */
function copyKernel() {
  let real = ROOT;
  try {
    real = fs.realpathSync(ROOT);
  } catch {
    // the path as it is
  }
  const hash = crypto.createHash("sha256").update(real).digest("hex").slice(0, 8);
  return { name: `${KERNEL_NAME}-${hash}`, displayName: `${DISPLAY_NAME.slice(0, -1)} · ${path.basename(real)})` };
}

/** The kernel.json that starts tslab for this checkout. */
function kernelSpec(displayName = DISPLAY_NAME) {
  const tslab = path.join(ROOT, "node_modules", "tslab", "bin", "tslab");
  if (!fs.existsSync(tslab)) {
    throw new Error(`tslab is not installed in ${ROOT}/node_modules: run \`npm ci\` first.`);
  }
  return {
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"],
    display_name: displayName,
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
 * With `prefix`: the notebooks' name, in PREFIX/share/jupyter/kernels (use with
 * JUPYTER_PATH=PREFIX/share/jupyter). Without: this copy's own name, in the user's Jupyter folder.
 */
function installKernel({ prefix } = {}) {
  const { name, displayName } = prefix ? { name: KERNEL_NAME, displayName: `${DISPLAY_NAME.slice(0, -1)} · ${path.basename(ROOT)})` } : copyKernel();
  const base = prefix ? path.join(prefix, "share", "jupyter") : jupyterDataDir();
  const dir = path.join(base, "kernels", name);
  const file = path.join(dir, "kernel.json");
  const text = JSON.stringify(kernelSpec(displayName), null, 2) + "\n";
  const before = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  if (before === text) return { dir, name, displayName, changed: false };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file + ".tmp", text);
  fs.renameSync(file + ".tmp", file); // never leave a half-written kernel.json
  return { dir, name, displayName, changed: true };
}

/** The environment for a Jupyter that must find this copy's kernel first (npm start). */
function withCopyKernel(env = process.env) {
  const share = path.join(KERNEL_PREFIX, "share", "jupyter");
  return { ...env, JUPYTER_PATH: env.JUPYTER_PATH ? `${share}${path.delimiter}${env.JUPYTER_PATH}` : share };
}

module.exports = { ROOT, KERNEL_NAME, DISPLAY_NAME, KERNEL_PREFIX, copyKernel, installKernel, kernelSpec, withCopyKernel };

if (require.main === module) {
  const i = process.argv.indexOf("--prefix");
  const prefix = i > 0 ? process.argv[i + 1] : undefined;
  try {
    const { dir, name, displayName, changed } = installKernel({ prefix });
    console.log(`${changed ? "Registered" : "Already registered"}: Jupyter kernel "${name}" (${displayName}) in ${dir}`);
    if (!prefix) {
      console.log(`Open the notebooks from your Jupyter and choose "${displayName}" as their kernel (each copy of the project has its own).`);
    }
  } catch (error) {
    console.error(`kernel:install failed: ${error.message}`);
    process.exit(1);
  }
}
