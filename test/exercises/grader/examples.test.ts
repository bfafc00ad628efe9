/**
 * The examples in the stubs' doc comments hold for the reference solutions (a student reads them as
 * the spec; they must be right). Values printed here are copied from the stubs.
 */
import { describe, expect, it } from "vitest";
import { F, conv2d, torch, Tensor } from "d2l-pooling";
import * as avg from "../../../solutions/avg-pool-as-conv";
import * as maxConv from "../../../solutions/max-pool-as-conv";
import * as notLinear from "../../../solutions/max-pool-not-linear";
import * as relu from "../../../solutions/max-via-relu";
import * as cost from "../../../solutions/pooling-cost";
import * as sens from "../../../solutions/max-vs-avg";
import * as minPool from "../../../solutions/min-pool";
import * as soft from "../../../solutions/softmax-pool";

const seedX = () => torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3);
const arange16 = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);

describe("stub examples", () => {
  it("avg-pool-as-conv", () => {
    expect(String(conv2d(seedX(), avg.avgPoolWeight(1, 2)))).toBe("tensor([[[[2., 3.],\n          [5., 6.]]]])");
    expect(String(avg.avgPoolAsConv(seedX(), [2, 2], { stride: 1 }))).toBe("tensor([[[[2., 3.],\n          [5., 6.]]]])");
  });

  it("max-pool-as-conv", () => {
    expect(String(maxConv.maxPoolAsConv(seedX(), [2, 2], { stride: 1 }))).toBe("tensor([[[[4., 5.],\n          [7., 8.]]]])");
    expect(String(maxConv.maxPoolAsConv(arange16(), 3, { padding: 1, stride: 2 }))).toBe("tensor([[[[ 5.,  7.],\n          [13., 15.]]]])");
  });

  it("max-pool-not-linear", () => {
    const { x, y } = notLinear.additivityCounterexample();
    expect(String(F.maxPool2d(x.add(y), 2))).toBe("tensor([[[[1.]]]])");
    expect(String(F.maxPool2d(x, 2).add(F.maxPool2d(y, 2)))).toBe("tensor([[[[2.]]]])");
  });

  it("max-via-relu", () => {
    expect(String(relu.maxViaRelu(torch.tensor([1, -2, 3]), torch.tensor([0, -1, 5])))).toBe("tensor([ 1., -1.,  5.])");
    expect(String(relu.maxPool2x2ViaRelu(arange16()))).toBe("tensor([[[[ 5.,  7.],\n          [13., 15.]]]])");
    expect(relu.reluTournament(2)).toEqual({ layers: 1, channels: [3] });
    expect(relu.reluTournament(3)).toEqual({ layers: 2, channels: [5, 3] });
    expect(relu.reluTournament(1)).toEqual({ layers: 0, channels: [] });
  });

  it("pooling-cost", () => {
    expect(cost.d2lPoolingCost(1, 4, 4, [3, 3], [2, 2], [2, 2])).toBe(36);
    expect(cost.poolingReads(1, 4, 4, [3, 3], [1, 1], [2, 2])).toBe(25);
  });

  it("max-vs-avg", () => {
    const X = torch.zeros(1, 1, 2, 6);
    X.set([0, 0, null, 3], 1);
    const maxPool = (x: Tensor) => F.maxPool2d(x, 2);
    expect(String(sens.shiftChange(maxPool, X))).toBe("tensor([[[[0., 0.]]]])");
    expect(String(sens.shiftChange(maxPool, X, 2))).toBe("tensor([[[[1., 1.]]]])");
    const Z = torch.zeros(1, 1, 2, 4);
    const noise = torch.tensor([[[[1, 0, 0, 0], [0, 0, -1, 0]]]]);
    expect(String(sens.noiseChange((x) => F.maxPool2d(x, 2), Z, noise))).toBe("tensor([[[[1., 0.]]]])");
    expect(String(sens.noiseChange((x) => F.avgPool2d(x, 2), Z, noise))).toBe("tensor([[[[0.2500, 0.2500]]]])");
  });

  it("min-pool", () => {
    expect(String(minPool.minPool2d(seedX(), [2, 2], { stride: 1 }))).toBe("tensor([[[[0., 1.],\n          [3., 4.]]]])");
    const [v, i] = minPool.minPool2dWithIndices(torch.tensor([[[[3, 1], [1, 2]]]]), 2);
    expect(String(v)).toBe("tensor([[[[1.]]]])");
    expect(String(i)).toBe("tensor([[[[1]]]])");
  });

  it("softmax-pool (the seed value agrees with PyTorch: softmax over F.unfold windows gives 3.5888)", () => {
    expect(String(soft.softmaxPool2d(seedX(), 2, { stride: 1 }))).toBe("tensor([[[[3.5888, 4.5888],\n          [6.5888, 7.5888]]]])");
    expect(String(soft.softmaxPool2d(seedX(), 2, { stride: 1, beta: 1e6 }))).toBe("tensor([[[[4., 5.],\n          [7., 8.]]]])");
    expect(String(soft.softmaxPool2d(seedX(), 2, { stride: 1, beta: 0 }))).toBe("tensor([[[[2., 3.],\n          [5., 6.]]]])");
    expect(soft.softmaxPool2d(seedX(), 2, { stride: 1 })).toBeInstanceOf(Tensor);
  });
});
