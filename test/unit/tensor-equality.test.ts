/** The equality tester of test/helpers/tensor-equality.ts: toEqual sees a tensor's values. */
import { describe, expect, it } from "vitest";
import { torch } from "d2l-pooling";

describe("toEqual on tensors", () => {
  it("compares values, not only shape and dtype", () => {
    expect(torch.tensor([1, 2, 3])).toEqual(torch.tensor([1, 2, 3]));
    expect(torch.tensor([1, 2, 3])).not.toEqual(torch.tensor([1, 2, 4]));
    expect(torch.tensor([NaN])).toEqual(torch.tensor([NaN]));
    expect(torch.tensor([0])).not.toEqual(torch.tensor([-0]));
    expect(torch.tensor([1, 2])).not.toEqual(torch.tensor([1, 2], { dtype: "float64" }));
    expect(torch.tensor([1, 2, 3, 4]).reshape(2, 2)).not.toEqual(torch.tensor([1, 2, 3, 4]));
    expect({ out: [torch.tensor([1])] }).not.toEqual({ out: [torch.tensor([2])] });
  });
});
