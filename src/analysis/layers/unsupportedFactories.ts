/**
 * The members of `tf.layers` (tfjs 4.22) that the layer table deliberately has no spec for, each
 * with the reason. test/unit/tfjsFactories.test.ts fails on any member of the installed tfjs that
 * is neither in the table nor here, so a new tfjs release cannot add a layer silently.
 */
export const UNSUPPORTED_FACTORIES: Readonly<Record<string, string>> = {
  input:
    'not a layer: `tf.layers.input` is `tf.input`, which makes a symbolic tensor; the evaluator handles it ' +
    '(tfjsBridge), as it handles `tf.input`.',
  Layer:
    'the base class of custom layers (`class MyLayer extends tf.layers.Layer`), not a factory; the evaluator runs ' +
    "a custom layer class's own `build` and `computeOutputShape` (evaluator/customLayers.ts).",
  RNNCell:
    'the abstract base class of custom RNN cells (`class MyCell extends tf.layers.RNNCell`); it has no ' +
    '`stateSize` of its own, and a custom cell is user code, which cannot be analysed statically.',
};
