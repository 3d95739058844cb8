/**
 * The activations of tfjs's recurrent cells that the fused kernels compute in plain JS, keyed by
 * tfjs-layers' activation class names, with their derivatives as tfjs's gradients define them
 * (tanh: 1 − y², sigmoid: y·(1 − y), hardSigmoid: 0.2 where 0 ≤ 0.2·x + 0.5 ≤ 1, relu: x > 0).
 * Any other activation is not fused: the layer runs tfjs's own code.
 */

/** Small integers so that the kernels' inner loops switch on a number. */
export const Act = { linear: 0, tanh: 1, sigmoid: 2, hardSigmoid: 3, relu: 4 } as const;
export type ActCode = (typeof Act)[keyof typeof Act];

/** The code of a tfjs-layers activation class name, or null when the kernels do not compute it. */
export function activationCode(className: string): ActCode | null {
  return Object.prototype.hasOwnProperty.call(Act, className) ? Act[className as keyof typeof Act] : null;
}

/** f(x). */
export function activate(code: ActCode, x: number): number {
  switch (code) {
    case Act.tanh:
      return Math.tanh(x);
    case Act.sigmoid:
      return 1 / (1 + Math.exp(-x));
    case Act.hardSigmoid: {
      const y = 0.5 + 0.2 * x;
      return y < 0 ? 0 : y > 1 ? 1 : y;
    }
    case Act.relu:
      return x > 0 ? x : 0;
    default:
      return x;
  }
}

/** f'(x), given x and y = f(x). */
export function derivative(code: ActCode, x: number, y: number): number {
  switch (code) {
    case Act.tanh:
      return 1 - y * y;
    case Act.sigmoid:
      return y * (1 - y);
    case Act.hardSigmoid: {
      const v = 0.5 + 0.2 * x;
      return v >= 0 && v <= 1 ? 0.2 : 0;
    }
    case Act.relu:
      return x > 0 ? 1 : 0;
    default:
      return 1;
  }
}

/** y[i] = f(x[i]) for i in [from, to): the switch outside the loop. */
export function activateRange(code: ActCode, x: Float64Array, y: Float64Array, from: number, to: number): void {
  switch (code) {
    case Act.tanh:
      for (let i = from; i < to; i++) y[i] = Math.tanh(x[i]!);
      return;
    case Act.sigmoid:
      for (let i = from; i < to; i++) y[i] = 1 / (1 + Math.exp(-x[i]!));
      return;
    case Act.hardSigmoid:
      for (let i = from; i < to; i++) {
        const v = 0.5 + 0.2 * x[i]!;
        y[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      return;
    case Act.relu:
      for (let i = from; i < to; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
      return;
    default:
      for (let i = from; i < to; i++) y[i] = x[i]!;
  }
}
