import { maxPool2d, maxPool2dWithIndices } from "./pooling/max";
import { avgPool2d } from "./pooling/avg";
import { lpPool2d } from "./pooling/lp";
import { adaptiveAvgPool2d, adaptiveMaxPool2d } from "./pooling/adaptive";
import { maxUnpool2d } from "./pooling/unpool";
import {
  adaptiveAvgPool2dBackward,
  adaptiveMaxPool2dBackward,
  avgPool2dBackward,
  lpPool2dBackward,
  maxPool2dBackward,
  maxUnpool2dBackward,
} from "./pooling/gradients";
import { conv2d } from "./conv";
import { Tensor } from "./tensor/tensor";

/** `torch.nn.functional`, camelCased: `F.maxPool2d(x, 3, { stride: 2, padding: 1 })`. */
export const F = Object.freeze({
  maxPool2d,
  maxPool2dWithIndices,
  avgPool2d,
  lpPool2d,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  maxUnpool2d,
  maxPool2dBackward,
  avgPool2dBackward,
  lpPool2dBackward,
  adaptiveAvgPool2dBackward,
  adaptiveMaxPool2dBackward,
  maxUnpool2dBackward,
  conv2d,
  relu: (x: Tensor) => x.relu(),
});
