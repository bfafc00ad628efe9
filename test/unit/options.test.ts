/**
 * Options objects are keyword arguments: a key an op does not take throws PyTorch's TypeError
 * instead of being ignored. The expected messages are PyTorch 2.13's own, for the same call with
 * the same unknown keyword (test/fixtures/pool-errors.json "unknownOption", from
 * scripts/make_fixtures.py).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { F, conv2d, nn, torch } from "../../src/index";
import { OPTION_KEYS } from "../../src/pooling/options";

interface UnknownOptionCase {
  call: string;
  key: string;
  errorType: string;
  message: string;
}

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "pool-errors.json"), "utf8"));
const cases = fixture.unknownOption as UnknownOptionCase[];

const x = () => torch.arange(16, { dtype: "float32" }).reshape(1, 1, 4, 4);
type Options = Record<string, unknown>;

/** The TypeScript call for each PyTorch call in the fixture, with `o` as its options. */
const CALLS: Record<string, (o: Options) => unknown> = {
  "F.max_pool2d": (o) => F.maxPool2d(x(), 2, o),
  "F.max_pool2d returnIndices": (o) => F.maxPool2d(x(), 2, { returnIndices: true, ...o }),
  "F.max_pool2d_with_indices": (o) => F.maxPool2dWithIndices(x(), 2, o),
  "F.avg_pool2d": (o) => F.avgPool2d(x(), 2, o),
  "F.lp_pool2d": (o) => F.lpPool2d(x(), 2, 2, o),
  "F.adaptive_avg_pool2d": (o) => (F.adaptiveAvgPool2d as (...a: unknown[]) => unknown)(x(), 2, o),
  "F.adaptive_max_pool2d": (o) => F.adaptiveMaxPool2d(x(), 2, o),
  "F.adaptive_max_pool2d returnIndices": (o) => F.adaptiveMaxPool2d(x(), 2, { returnIndices: true, ...o }),
  "F.max_unpool2d": (o) => {
    const [y, i] = F.maxPool2d(x(), 2, { returnIndices: true });
    return F.maxUnpool2d(y, i, 2, o);
  },
  "nn.MaxPool2d": (o) => nn.MaxPool2d(2, o),
  "nn.AvgPool2d": (o) => nn.AvgPool2d(2, o),
  "nn.LPPool2d": (o) => nn.LPPool2d(2, 2, o),
  "nn.AdaptiveAvgPool2d": (o) => nn.AdaptiveAvgPool2d(2, o as Record<string, never>),
  "nn.AdaptiveMaxPool2d": (o) => nn.AdaptiveMaxPool2d(2, o),
  "nn.MaxUnpool2d": (o) => nn.MaxUnpool2d(2, o),
};

function thrown(call: () => unknown): Error | undefined {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

describe("an unknown option throws PyTorch's TypeError", () => {
  it("the fixture covers every pooling function and layer that takes options", () => {
    expect(new Set(cases.map((c) => c.call))).toEqual(new Set(Object.keys(CALLS)));
  });

  it.each(cases.map((c) => [`${c.call}(…, { ${c.key}: 1 }) -> ${c.message}`, c] as const))("%s", (_t, c) => {
    const error = thrown(() => CALLS[c.call]({ [c.key]: 1 }));
    expect(c.errorType).toBe("TypeError");
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toBe(c.message);
  });

  it("nn.MaxPool2d(2, { strid: 1 }) throws when the layer is made, before any pooling", () => {
    expect(() => nn.MaxPool2d(2, { strid: 1 } as never)).toThrow(
      new TypeError("_MaxPoolNd.__init__() got an unexpected keyword argument 'strid'"),
    );
  });

  it("a Python (snake_case) name keeps PyTorch's words and says how it is spelled here", () => {
    const error = thrown(() => nn.MaxPool2d(3, { ceil_mode: true } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toBe(
      "_MaxPoolNd.__init__() got an unexpected keyword argument 'ceil_mode' (it is spelled ceilMode here: options are camelCase)",
    );
    expect(thrown(() => F.avgPool2d(x(), 2, { count_include_pad: false } as never))!.message).toContain("countIncludePad");
  });

  it("an unknown key counts even when its value is undefined, as a Python keyword would", () => {
    expect(thrown(() => F.maxPool2d(x(), 2, { strid: undefined } as never))).toBeInstanceOf(TypeError);
  });

  it("conv2d too (PyTorch's builtin words it as an invalid combination of arguments)", () => {
    const w = torch.ones(1, 1, 2, 2);
    expect(thrown(() => F.conv2d(x(), w, { strides: 2 } as never))!.message).toBe("conv2d() got an unexpected keyword argument 'strides'");
    expect(thrown(() => conv2d(x(), w, { strides: 2 } as never))).toBeInstanceOf(TypeError);
  });

  it("options given as PyTorch's positional arguments are refused with a hint, not ignored", () => {
    const error = thrown(() => (F.maxPool2d as (...a: unknown[]) => unknown)(x(), 2, 1));
    expect(error).toBeInstanceOf(TypeError);
    expect(error!.message).toContain("_max_pool2d() takes its options as one object, such as { stride: 1, padding: 0 }, not 1");
    expect(thrown(() => (F.conv2d as (...a: unknown[]) => unknown)(x(), torch.ones(1, 1, 2, 2), torch.ones(1)))!.message).toContain(
      "not a Tensor",
    );
  });
});

describe("every listed option is still taken", () => {
  it("each key of each op's list, with a valid value, is accepted", () => {
    const valid: Options = {
      stride: 1,
      padding: 0,
      dilation: 1,
      ceilMode: false,
      returnIndices: false,
      countIncludePad: true,
      divisorOverride: null,
      outputSize: null,
      bias: null,
    };
    const pick = (keys: readonly string[]): Options => Object.fromEntries(keys.map((k) => [k, valid[k]]));
    expect(() => F.maxPool2d(x(), 2, pick(OPTION_KEYS.maxPool2d))).not.toThrow();
    expect(() => nn.MaxPool2d(2, pick(OPTION_KEYS.maxPool2d))(x())).not.toThrow();
    expect(() => F.avgPool2d(x(), 2, pick(OPTION_KEYS.avgPool2d))).not.toThrow();
    expect(() => nn.AvgPool2d(2, pick(OPTION_KEYS.avgPool2d))(x())).not.toThrow();
    expect(() => F.lpPool2d(x(), 2, 2, pick(OPTION_KEYS.lpPool2d))).not.toThrow();
    expect(() => nn.LPPool2d(2, 2, pick(OPTION_KEYS.lpPool2d))(x())).not.toThrow();
    expect(() => F.adaptiveMaxPool2d(x(), 2, pick(OPTION_KEYS.adaptiveMaxPool2d))).not.toThrow();
    expect(() => nn.AdaptiveAvgPool2d(2)(x())).not.toThrow();
    const [y, i] = F.maxPool2d(x(), 2, { returnIndices: true });
    const unpool = { ...pick(OPTION_KEYS.maxUnpool2d), stride: 2 }; // the stride the indices came from
    expect(() => F.maxUnpool2d(y, i, 2, unpool)).not.toThrow();
    expect(() => nn.MaxUnpool2d(2, { stride: 2, padding: 0 })(y, i)).not.toThrow();
    expect(OPTION_KEYS.MaxUnpool2d).toEqual(["stride", "padding"]);
    expect(() => F.conv2d(x(), torch.ones(1, 1, 2, 2), pick(OPTION_KEYS.conv2d))).not.toThrow();
  });

  it("no options, undefined and an empty object mean the defaults", () => {
    const plain = String(F.maxPool2d(x(), 2));
    expect(String(F.maxPool2d(x(), 2, undefined))).toBe(plain);
    expect(String(F.maxPool2d(x(), 2, {}))).toBe(plain);
  });
});
