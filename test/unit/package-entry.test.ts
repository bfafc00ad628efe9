import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

// tslab compiles notebook cells to CommonJS, so the built package must load through require(),
// by its name, from anywhere in the project (node_modules/d2l-pooling links to the root).
const root = path.resolve(__dirname, "..", "..");

function runNode(code: string, cwd = root): string {
  return execFileSync(process.execPath, ["-e", code], { cwd, encoding: "utf8" });
}

describe("the built package (dist/)", () => {
  it("loads with require() by its package name and prints PyTorch's repr", () => {
    const out = runNode(`
      const { torch, nn, F, pool2d, corr2d } = require("d2l-pooling");
      const X = torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
      console.log(String(nn.MaxPool2d(3, { padding: 1, stride: 2 })(X)));
      console.log(typeof F.maxPool2d, typeof pool2d, typeof corr2d);
    `, path.join(root, "notebooks"));
    // PyTorch: nn.MaxPool2d(3, padding=1, stride=2)(torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4)))
    expect(out).toBe("tensor([[[[ 5.,  7.],\n          [13., 15.]]]])\nfunction function function\n");
  });

  it("exposes the plot helpers as d2l-pooling/plot", () => {
    const out = runNode(`const plot = require("d2l-pooling/plot"); console.log(typeof plot.show, typeof plot.slidingWindowFigure);`);
    expect(out).toBe("function function\n");
  });

  it("nn.functional is the same object as F", () => {
    const out = runNode(`const { nn, F } = require("d2l-pooling"); console.log(nn.functional === F);`);
    expect(out).toBe("true\n");
  });
});
