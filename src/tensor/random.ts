import { allocate } from "./storage";

/**
 * PyTorch's CPU random numbers, reproduced: `torch.manualSeed(0); torch.rand(3)` gives the
 * same numbers as `torch.manual_seed(0); torch.rand(3)` in PyTorch.
 *
 * PyTorch's CPU generator is the 32-bit Mersenne Twister (mt19937). A float32 uniform takes
 * the low 24 bits of one draw times 2^-24; a float64 uniform takes 53 bits of two draws.
 * randn uses Box–Muller: small tensors (< 16 elements) draw in double and cache the sine half
 * for the next call; larger ones fill uniforms first, then transform them 16 at a time.
 */
class MersenneTwister {
  private readonly state = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic
      this.state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  next(): number {
    if (this.index >= 624) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < 624; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % 624] & 0x7fffffff);
      s[i] = s[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

const TWO_POW_24 = 2 ** 24;
const TWO_POW_53 = 2 ** 53;

class Generator {
  private engine: MersenneTwister;
  private cachedNormal: number | null = null;

  constructor(seed: number) {
    this.engine = new MersenneTwister(seed);
  }

  /** A float32 uniform in [0, 1): 24 random bits. */
  uniformFloat(): number {
    return (this.engine.next() & (TWO_POW_24 - 1)) / TWO_POW_24;
  }

  /** A float64 uniform in [0, 1): the low 53 bits of a 64-bit draw (first draw = high word). */
  uniformDouble(): number {
    const high = this.engine.next();
    const low = this.engine.next();
    // (high << 32 | low) & (2^53 - 1)  ==  (high mod 2^21) * 2^32 + low
    return ((high % 2 ** 21) * 2 ** 32 + low) / TWO_POW_53;
  }

  /** One standard normal in double precision, as at::normal_distribution<double>. */
  normalDouble(): number {
    if (this.cachedNormal !== null) {
      const cached = this.cachedNormal;
      this.cachedNormal = null;
      return cached;
    }
    const u1 = this.uniformDouble();
    const u2 = this.uniformDouble();
    const radius = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.cachedNormal = radius * Math.sin(theta);
    return radius * Math.cos(theta);
  }
}

let generator = new Generator(67280421310721); // PyTorch's default seed

/** `torch.manual_seed(seed)`: restart the generator (mt19937 uses the seed's low 32 bits). */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`manualSeed expects a non-negative integer, got ${seed}`);
  generator = new Generator(Number(BigInt(seed) & 0xffffffffn));
}

export type RandomDType = "float32" | "float64";

function uniform(dtype: RandomDType): number {
  return dtype === "float32" ? generator.uniformFloat() : generator.uniformDouble();
}

/** `count` uniforms in [0, 1), in PyTorch's order (float64 takes two 32-bit draws each). */
export function uniformValues(count: number, dtype: RandomDType = "float32"): Float32Array | Float64Array {
  const out = allocate(dtype, count, false) as Float32Array | Float64Array; // where the kernels read it
  for (let i = 0; i < count; i++) out[i] = uniform(dtype);
  return out;
}

/** `count` standard normals, following PyTorch's two code paths (see the top comment). */
export function normalValues(count: number, dtype: RandomDType = "float32"): Float32Array | Float64Array {
  const out = allocate(dtype, count, false) as Float32Array | Float64Array; // where the kernels read it
  if (count < 16) {
    for (let i = 0; i < count; i++) out[i] = generator.normalDouble();
    return out;
  }
  for (let i = 0; i < count; i++) out[i] = uniform(dtype);
  for (let start = 0; start + 16 <= count; start += 16) boxMuller16(out, start);
  if (count % 16 !== 0) {
    // PyTorch redraws the last 16 values and transforms them as one more block.
    const start = count - 16;
    for (let i = 0; i < 16; i++) out[start + i] = uniform(dtype);
    boxMuller16(out, start);
  }
  return out;
}

/**
 * Turn 16 uniforms into 16 normals in place: pairs (j, j + 8) give cos and sin halves,
 * computed in the tensor's precision (each step rounded to float32 for float32).
 */
function boxMuller16(data: Float32Array | Float64Array, start: number): void {
  const r = data instanceof Float32Array ? Math.fround : (x: number) => x;
  for (let j = 0; j < 8; j++) {
    const u1 = r(1 - data[start + j]);
    const u2 = data[start + j + 8];
    const radius = r(Math.sqrt(r(-2 * r(Math.log(u1)))));
    const theta = r(r(2 * Math.PI) * u2);
    data[start + j] = r(radius * r(Math.cos(theta)));
    data[start + j + 8] = r(radius * r(Math.sin(theta)));
  }
}
