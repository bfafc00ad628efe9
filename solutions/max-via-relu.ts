/**
 * Reference solution — d2l-en Exercise 3: max via ReLU, then 2×2 max pooling from convolutions and ReLU.
 */
import { torch, conv2d, Tensor } from "d2l-pooling";

/** max(a, b) = b + ReLU(a − b). */
export function maxViaRelu(a: Tensor, b: Tensor): Tensor {
  return b.add(a.sub(b).relu());
}

/**
 * Per plane, three convolutions with two ReLUs between them:
 *   conv 2×2 stride 2, 6 channels: a−b, b, −b, c−d, d, −d   (a b / c d: the window's cells) → ReLU
 *   conv 1×1, 3 channels: m1 − m2, m2, −m2, where m1 = r0 + r1 − r2 = max(a, b), m2 = max(c, d) → ReLU
 *   conv 1×1, 1 channel: s0 + s1 − s2 = m2 + ReLU(m1 − m2) = max(m1, m2)
 * Carrying b through a ReLU layer needs two channels, ReLU(b) − ReLU(−b) = b, since b can be negative.
 */
export function maxPool2x2ViaRelu(X: Tensor): Tensor {
  const lead = X.shape.slice(0, -2);
  const [H, W] = X.shape.slice(-2);
  const planes = lead.reduce((p, d) => p * d, 1);
  const x = X.reshape(planes, 1, H, W);
  const w1 = torch.tensor([
    [[[1, -1], [0, 0]]],
    [[[0, 1], [0, 0]]],
    [[[0, -1], [0, 0]]],
    [[[0, 0], [1, -1]]],
    [[[0, 0], [0, 1]]],
    [[[0, 0], [0, -1]]],
  ]);
  const w2 = torch.tensor([
    [1, 1, -1, -1, -1, 1],
    [0, 0, 0, 1, 1, -1],
    [0, 0, 0, -1, -1, 1],
  ]).reshape(3, 6, 1, 1);
  const w3 = torch.tensor([1, 1, -1]).reshape(1, 3, 1, 1);
  const r1 = conv2d(x, w1, { stride: 2 }).relu();
  const r2 = conv2d(r1, w2).relu();
  const y = conv2d(r2, w3);
  return y.reshape(...lead, y.shape[2], y.shape[3]);
}

/**
 * The balanced tournament of max(a, b) = b + ReLU(a − b): at each ReLU layer, neighbours pair up
 * (3 channels per pair: a − b, b, −b) and an odd one out is carried (2 channels: v, −v), until one
 * value is left.
 */
export function reluTournament(cells: number): { layers: number; channels: number[] } {
  const channels: number[] = [];
  let n = cells;
  while (n > 1) {
    const pairs = Math.floor(n / 2);
    const odd = n % 2;
    channels.push(3 * pairs + 2 * odd);
    n = pairs + odd;
  }
  return { layers: channels.length, channels };
}
