import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const node = process.execPath;

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "d2l-jupyter-test-"));
}

describe("npm run kernel:install", () => {
  it("registers the tslab kernel once and is idempotent", () => {
    const prefix = tempDir();
    try {
      const first = spawnSync(node, ["scripts/jupyter/kernel.js", "--prefix", prefix], { cwd: root, encoding: "utf8" });
      const second = spawnSync(node, ["scripts/jupyter/kernel.js", "--prefix", prefix], { cwd: root, encoding: "utf8" });
      expect(first.status).toBe(0);
      expect(first.stdout).toMatch(/^Registered: Jupyter kernel "d2l-pooling-typescript"/);
      expect(second.status).toBe(0);
      expect(second.stdout).toMatch(/^Already registered/);
      const spec = JSON.parse(fs.readFileSync(path.join(prefix, "share/jupyter/kernels/d2l-pooling-typescript/kernel.json"), "utf8"));
      expect(spec.language).toBe("typescript");
      // The kernel runs this checkout's tslab with this Node, whatever PATH Jupyter has.
      expect(spec.argv.slice(0, 3)).toEqual([node, path.join(root, "node_modules/tslab/bin/tslab"), "kernel"]);
      expect(spec.argv).toContain("{connection_file}");
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  it("every notebook names that kernel", () => {
    for (const lang of ["zh", "en"]) {
      for (const file of fs.readdirSync(path.join(root, "notebooks", lang)).filter((f) => f.endsWith(".ipynb"))) {
        const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", lang, file), "utf8"));
        expect(nb.metadata.kernelspec.name, `${lang}/${file}`).toBe("d2l-pooling-typescript");
      }
    }
  });
});

describe("npm start", () => {
  it("without Jupyter, prints the command that installs it and exits non-zero", () => {
    const data = tempDir();
    const bin = tempDir(); // a PATH with node and npm only: no jupyter
    try {
      for (const tool of ["node", "npm"]) {
        const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).stdout.trim();
        if (found) fs.symlinkSync(found, path.join(bin, tool));
      }
      const run = spawnSync(node, ["scripts/jupyter/start.js"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, PATH: bin, JUPYTER_DATA_DIR: data },
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("Jupyter is not installed");
      expect(run.stderr).toContain("python3 -m pip install jupyterlab");
      expect(run.stderr).toContain("apt-get install jupyter-notebook");
      // It still registered the kernel first, so installing Jupyter is the only step left.
      expect(fs.existsSync(path.join(data, "kernels/d2l-pooling-typescript/kernel.json"))).toBe(true);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
