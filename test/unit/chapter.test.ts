/**
 * The seed chapter (d2l 6.5 汇聚层, ../shared/seed/000_286819264a40769d.txt) reproduced exactly.
 *
 * Each expected string is what real PyTorch 1.13 prints for the chapter's Python code (run with
 * /usr/bin/python3; the code is in the comment above each case). The seed shows the same outputs
 * with whitespace flattened, so every case also checks that flattening our expected text gives the
 * seed's text for that output: the test is tied to the seed file itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { F, Tensor, conv2d, nn, pool2d, torch } from "../../src/index";

// A verbatim copy of the team's seed (../shared/seed/), kept in the repo so a fresh clone can test.
const SEED_PATH = join(__dirname, "../fixtures/seed/000_286819264a40769d.txt");

/** The printed tensors of the seed, in order: each "输出结果:" followed by a balanced "tensor(...)". */
function seedOutputs(): string[] {
  const text = readFileSync(SEED_PATH, "utf8").replace(/\r\n/g, "\n");
  const outputs: string[] = [];
  const marker = "输出结果:";
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
    const start = text.indexOf("tensor(", at);
    let depth = 0;
    let end = start;
    for (; end < text.length; end++) {
      if (text[end] === "(") depth++;
      else if (text[end] === ")" && --depth === 0) break;
    }
    outputs.push(text.slice(start, end + 1));
  }
  return outputs;
}

/** The seed's flattening: each line trimmed, runs of spaces made one; blank lines stay. */
const flatten = (s: string): string =>
  s
    .split("\n")
    .map((line) => line.trim().replace(/ +/g, " "))
    .join("\n");

const seed = seedOutputs();

// ---------------------------------------------------------------------------------------------
// PyTorch's printed outputs, unflattened (repr(...) under /usr/bin/python3, torch 1.13.1).

const POOL_MAX_3x3 = "tensor([[4., 5.],\n        [7., 8.]])";
const POOL_AVG_3x3 = "tensor([[2., 3.],\n        [5., 6.]])";
const POOL_MIN_3x3 = "tensor([[0., 1.],\n        [3., 4.]])";
const X_4x4 =
  "tensor([[[[ 0.,  1.,  2.,  3.],\n" +
  "          [ 4.,  5.,  6.,  7.],\n" +
  "          [ 8.,  9., 10., 11.],\n" +
  "          [12., 13., 14., 15.]]]])";
const MAXPOOL_3 = "tensor([[[[10.]]]])";
const MAXPOOL_3_PAD1_STRIDE2 = "tensor([[[[ 5.,  7.],\n          [13., 15.]]]])";
const X_2_CHANNELS =
  "tensor([[[[ 0.,  1.,  2.,  3.],\n" +
  "          [ 4.,  5.,  6.,  7.],\n" +
  "          [ 8.,  9., 10., 11.],\n" +
  "          [12., 13., 14., 15.]],\n" +
  "\n" +
  "         [[ 1.,  2.,  3.,  4.],\n" +
  "          [ 5.,  6.,  7.,  8.],\n" +
  "          [ 9., 10., 11., 12.],\n" +
  "          [13., 14., 15., 16.]]]])";
const MAXPOOL_2_CHANNELS =
  "tensor([[[[ 5.,  7.],\n" +
  "          [13., 15.]],\n" +
  "\n" +
  "         [[ 6.,  8.],\n" +
  "          [14., 16.]]]])";

// ---------------------------------------------------------------------------------------------
// The chapter's inputs.

/** X = torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]) */
const X3 = (): Tensor => torch.tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]);
/** X = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4)) */
const X4 = (): Tensor => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);

/** Exercise 1's answer, line for line: a ones kernel, window sum / (h * w). */
function pool2dConvAvg(X: Tensor, kShape: [number, number]): Tensor {
  const K = torch.ones(kShape);
  const [h, w] = K.shape;
  const Y = torch.zeros([X.shape[0] - h + 1, X.shape[1] - w + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      Y.set([i, j], X.index([i, i + h], [j, j + w]).mul(K).sum().div(h * w));
    }
  }
  return Y;
}

/** Exercise 2's answer: the window times a ones kernel, then its max. */
function pool2dConvMax(X: Tensor, kShape: [number, number]): Tensor {
  const K = torch.ones(kShape);
  const [h, w] = K.shape;
  const Y = torch.zeros([X.shape[0] - h + 1, X.shape[1] - w + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      Y.set([i, j], X.index([i, i + h], [j, j + w]).mul(K).max());
    }
  }
  return Y;
}

/** Exercise 5's answer: min pooling as −max(−window). */
function pool2dMin(X: Tensor, poolSize: [number, number]): Tensor {
  const [ph, pw] = poolSize;
  const Y = torch.zeros([X.shape[0] - ph + 1, X.shape[1] - pw + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      Y.set([i, j], X.index([i, i + ph], [j, j + pw]).mul(-1).max().mul(-1));
    }
  }
  return Y;
}

// ---------------------------------------------------------------------------------------------

describe("the seed file", () => {
  it("has the chapter's 11 printed outputs", () => {
    expect(seed).toHaveLength(11);
  });
});

/** [case name, seed output number, expected repr, the TypeScript that must print it]. */
const cases: [string, number, string, () => unknown][] = [
  // pool2d(X, (2, 2))
  ["pool2d(X, [2, 2]) (max)", 0, POOL_MAX_3x3, () => pool2d(X3(), [2, 2])],
  // pool2d(X, (2, 2), 'avg')
  ["pool2d(X, [2, 2], 'avg')", 1, POOL_AVG_3x3, () => pool2d(X3(), [2, 2], "avg")],
  // X = torch.arange(16, dtype=torch.float32).reshape((1, 1, 4, 4)); X
  ['torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4)', 2, X_4x4, () => X4()],
  // pool2d = nn.MaxPool2d(3); pool2d(X)
  ["nn.MaxPool2d(3)(X)", 3, MAXPOOL_3, () => nn.MaxPool2d(3)(X4())],
  // pool2d = nn.MaxPool2d(3, padding=1, stride=2); pool2d(X)
  ["nn.MaxPool2d(3, { padding: 1, stride: 2 })(X)", 4, MAXPOOL_3_PAD1_STRIDE2, () => nn.MaxPool2d(3, { padding: 1, stride: 2 })(X4())],
  // pool2d = nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1)); pool2d(X)
  [
    "nn.MaxPool2d([2, 3], { stride: [2, 3], padding: [0, 1] })(X)",
    5,
    MAXPOOL_3_PAD1_STRIDE2,
    () => nn.MaxPool2d([2, 3], { stride: [2, 3], padding: [0, 1] })(X4()),
  ],
  // X = torch.cat((X, X + 1), 1); X
  ["torch.cat([X, X.add(1)], 1)", 6, X_2_CHANNELS, () => torch.cat([X4(), X4().add(1)], 1)],
  // pool2d = nn.MaxPool2d(3, padding=1, stride=2); pool2d(X)   (X with 2 channels)
  [
    "nn.MaxPool2d(3, { padding: 1, stride: 2 }) on 2 channels",
    7,
    MAXPOOL_2_CHANNELS,
    () => {
      const X = torch.cat([X4(), X4().add(1)], 1);
      return nn.MaxPool2d(3, { padding: 1, stride: 2 })(X);
    },
  ],
  // Exercise 1: Y = pool2d_conv_avg(X, (2, 2)); Y
  ["exercise 1: avg pooling as a ones-kernel convolution", 8, POOL_AVG_3x3, () => pool2dConvAvg(X3(), [2, 2])],
  // ... and the same with the library's conv2d: F.conv2d(X.reshape(1, 1, 3, 3), torch.ones(1, 1, 2, 2)) / 4
  [
    "exercise 1: conv2d(X, ones(1, 1, 2, 2)) / 4",
    8,
    POOL_AVG_3x3,
    () => conv2d(X3().reshape(1, 1, 3, 3), torch.ones(1, 1, 2, 2)).div(4).reshape(2, 2),
  ],
  // Exercise 2: Y = pool2d_conv_max(X, (2, 2)); Y
  ["exercise 2: max pooling via the window", 9, POOL_MAX_3x3, () => pool2dConvMax(X3(), [2, 2])],
  // Exercise 5: Y = pool2d(X, (2, 2), 'min'); Y   with Y[i, j] = (X[i: i + p_h, j: j + p_w]*-1).max()*-1
  ["exercise 5: min pooling as −max(−x)", 10, POOL_MIN_3x3, () => pool2dMin(X3(), [2, 2])],
  // -F.max_pool2d(-X.reshape(1, 1, 3, 3), 2, stride=1).reshape(2, 2)
  [
    "exercise 5: −F.maxPool2d(−x, 2, { stride: 1 })",
    10,
    POOL_MIN_3x3,
    () => F.maxPool2d(X3().neg().reshape(1, 1, 3, 3), 2, { stride: 1 }).neg().reshape(2, 2),
  ],
];

describe("the chapter's printed outputs, exactly as PyTorch prints them", () => {
  it.each(cases)("%s", (_name, _seedIndex, expected, run) => {
    expect(String(run())).toBe(expected);
  });
});

describe("the expected outputs are the seed's outputs (whitespace flattened)", () => {
  it.each(cases)("%s is seed output #%i", (_name, seedIndex, expected) => {
    expect(flatten(expected)).toBe(seed[seedIndex]);
  });
});

describe("the layers print like PyTorch modules", () => {
  it("nn.MaxPool2d reprs", () => {
    // repr(nn.MaxPool2d(3, padding=1, stride=2))
    expect(String(nn.MaxPool2d(3, { padding: 1, stride: 2 }))).toBe(
      "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)",
    );
    // repr(nn.MaxPool2d((2, 3), stride=(2, 3), padding=(0, 1)))
    expect(String(nn.MaxPool2d([2, 3], { stride: [2, 3], padding: [0, 1] }))).toBe(
      "MaxPool2d(kernel_size=(2, 3), stride=(2, 3), padding=(0, 1), dilation=1, ceil_mode=False)",
    );
  });
});
