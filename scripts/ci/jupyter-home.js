// A throwaway Jupyter home for the real-Jupyter tests: the project's tslab kernel registered into
// a temporary prefix (scripts/jupyter/kernel.js --prefix), and Jupyter's config, data (trust
// database) and runtime (connection files) folders beside it, so nothing touches ~/.jupyter or
// ~/.local/share/jupyter and no user setting changes what the tests see.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const KERNEL_NAME = "d2l-pooling-typescript";

function jupyterHome() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-jupyter-"));
  const prefix = path.join(dir, "prefix");
  const install = spawnSync(process.execPath, [path.join(ROOT, "scripts", "jupyter", "kernel.js"), "--prefix", prefix], { encoding: "utf8" });
  if (install.status !== 0) throw new Error(`registering the kernel failed:\n${install.stdout}${install.stderr}`);
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(dir, "config"),
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    JUPYTER_PLATFORM_DIRS: "1",
  };
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  return { dir, prefix, env, remove };
}

/** Throws unless Jupyter (as nbconvert and the server see it) finds the project's kernel; `python` is the one Jupyter runs on. */
function checkKernelVisible(env, python = "/usr/bin/python3") {
  // `jupyter kernelspec` is in another Debian package; ask jupyter_client (nbconvert's own) directly.
  const code = "import json; from jupyter_client.kernelspec import KernelSpecManager; print(json.dumps(KernelSpecManager().find_kernel_specs()))";
  const r = spawnSync(python, ["-c", code], { env, encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error(`cannot ask Jupyter for its kernels (${r.error ? r.error.message : r.stderr.trim()}): install jupyter-nbconvert and python3-nbclient (Debian) first`);
  }
  const specs = JSON.parse(r.stdout);
  if (!specs[KERNEL_NAME]) {
    throw new Error(`Jupyter does not see the kernel "${KERNEL_NAME}" after registering it (JUPYTER_PATH=${env.JUPYTER_PATH}); kernels seen: ${Object.keys(specs).join(", ") || "none"}`);
  }
  return specs[KERNEL_NAME];
}

module.exports = { ROOT, KERNEL_NAME, jupyterHome, checkKernelVisible };
