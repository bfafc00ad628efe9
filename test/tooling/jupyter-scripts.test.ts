import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RELEASE_INCLUDE } from "../../src/grader/release";

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
      // tslab has no debugger: the spec says so, and JupyterLab shows its debugger as unavailable.
      expect(spec.metadata).toEqual({ debugger: false });
      // The kernel runs this checkout's tslab with this Node, whatever PATH Jupyter has.
      expect(spec.argv.slice(0, 3)).toEqual([node, path.join(root, "node_modules/tslab/bin/tslab"), "kernel"]);
      expect(spec.argv).toContain("{connection_file}");
    } finally {
      fs.rmSync(prefix, { recursive: true, force: true });
    }
  });

  it("gives each copy of the project its own kernel in the user's Jupyter, named after its folder", () => {
    const { projectCopy } = require("../../scripts/ci/project-copy.js");
    const [a, b] = [projectCopy("d2l-week1-"), projectCopy("d2l-week2-")];
    const data = tempDir();
    try {
      const install = (dir: string) => spawnSync(node, ["scripts/jupyter/kernel.js"], { cwd: dir, encoding: "utf8", env: { ...process.env, JUPYTER_DATA_DIR: data } });
      const [ra, rb] = [install(a.dir), install(b.dir)];
      expect(ra.status, ra.stderr).toBe(0);
      expect(rb.status, rb.stderr).toBe(0);
      const kernels = fs.readdirSync(path.join(data, "kernels")).sort();
      expect(kernels).toHaveLength(2); // the second copy did not replace the first
      for (const k of kernels) expect(k).toMatch(/^d2l-pooling-typescript-[0-9a-f]{8}$/);
      const specs = kernels.map((k) => JSON.parse(fs.readFileSync(path.join(data, "kernels", k, "kernel.json"), "utf8")));
      for (const [copy, out] of [[a, ra], [b, rb]] as const) {
        const spec = specs.find((x) => x.argv[1].startsWith(copy.dir))!;
        expect(spec, copy.dir).toBeDefined();
        expect(spec.display_name).toBe(`TypeScript (d2l pooling · ${path.basename(copy.dir)})`);
        expect(out.stdout).toContain(`choose "${spec.display_name}"`);
      }
    } finally {
      a.remove();
      b.remove();
      fs.rmSync(data, { recursive: true, force: true });
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
  // The real set-up (a venv with JupyterLab, then Lab serving the notebook) needs Python and pip:
  // test/browser/npm-start.js checks it in CI. Here: what a machine without Python is told.
  it("without Jupyter and without Python, says what to install, exits non-zero and leaves nothing behind", () => {
    const { projectCopy, pathWith } = require("../../scripts/ci/project-copy.js");
    const copy = projectCopy();
    const bin = pathWith(["node", "npm", "sh"], path.join(copy.dir, "bin")); // no jupyter, no python3
    try {
      const run = spawnSync(node, ["scripts/jupyter/start.js"], {
        cwd: copy.dir,
        encoding: "utf8",
        env: { ...process.env, PATH: bin, PYTHON: "" },
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain("Python 3 is not installed");
      expect(run.stderr).toContain("sudo apt-get install python3 python3-venv");
      expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
      expect(fs.existsSync(path.join(copy.dir, ".venv"))).toBe(false);
    } finally {
      copy.remove();
    }
  });

  it("needs only files the student copy ships (npm run release copies what RELEASE_INCLUDE names)", () => {
    const { requirementsFile } = require("../../scripts/jupyter/venv.js");
    const shipped = (file: string) =>
      RELEASE_INCLUDE.some((inc) => {
        const rel = path.relative(root, file).split(path.sep).join("/");
        return rel === inc || rel.startsWith(`${inc}/`);
      });
    // Every local file start.js loads, followed through their own requires, and what pip installs from.
    const needed = new Set<string>();
    const visit = (file: string) => {
      if (needed.has(file)) return;
      needed.add(file);
      for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
        visit(require.resolve(path.resolve(path.dirname(file), spec)));
      }
    };
    visit(path.join(root, "scripts", "jupyter", "start.js"));
    needed.add(requirementsFile("jupyter"));
    expect([...needed].filter((f) => !shipped(f)).map((f) => path.relative(root, f))).toEqual([]);
    expect(needed.size).toBeGreaterThanOrEqual(4);
  });

  it("keeps .venv/ out of git", () => {
    expect(spawnSync("git", ["check-ignore", "-q", ".venv/bin/jupyter"], { cwd: root }).status).toBe(0);
  });

  it("refuses an argument it does not know, with its usage", () => {
    const run = spawnSync(node, ["scripts/jupyter/start.js", "fr"], { cwd: root, encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('unknown argument "fr"');
    expect(run.stderr).toContain("usage: npm start");
  });
});
