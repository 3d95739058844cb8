/**
 * Public result types of the analysis core. Pure data: no `vscode`, no DOM.
 * Lines are 1-based, columns are 1-based (as the CLI prints them).
 */

/** One dimension as Keras prints it: a number, or `null` for "None" (batch, variable length). */
export type Dim = number | null;
/** A tensor shape including the batch dimension, e.g. `[null, 26, 26, 32]`. */
export type Shape = Dim[];
/** A layer's output: one shape, or several (e.g. an LSTM with `returnState: true`). */
export type OutputShape = Shape | Shape[];

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  message: string;
  /** A change to the code that removes the error, for the editor's quick fix. */
  fix?: FixHint;
}

/**
 * What a quick fix changes, at the layer factory call whose name is at `line`/`column`
 * (`dense` in `tf.layers.dense(`): give the first layer an `inputShape`, make the recurrent
 * layer feeding another one return its sequences, or pad a convolution or pooling `'same'`.
 */
export interface FixHint {
  kind: 'inputShape' | 'returnSequences' | 'paddingSame' | 'projectShortcut';
  line: number;
  column: number;
  /** `projectShortcut`: the merge input to project (0-based) and the one whose channels it takes. */
  input?: number;
  like?: number;
  /** `projectShortcut`: `conv1d`, `conv2d` or `conv3d`, from the inputs' rank. */
  conv?: string;
}

/** A tensor a layer takes: which layer of the model made it, and its shape. */
export interface LayerInput {
  /** Index in the model's `layers` of the layer that made it; -1 for a Sequential's own input. */
  from: number;
  /** Which of that layer's outputs (a layer with `returnState: true` has several). */
  output: number;
  shape: Shape | null;
  /** Why the shape is unknown, when it is. */
  reason?: string;
}

/** One of a model's outputs: which layer's which output it is. */
export interface LayerOutputRef {
  layer: number;
  output: number;
}

export interface LayerResult {
  /** The layer's name: the `name` option when given, else a tfjs-style generated name. */
  name: string;
  /** tfjs `getClassName()`: `Conv2D`, `InputLayer`, `Sequential` for a nested model. */
  type: string;
  /** Line of the expression that created the layer (factory call, `tf.input`, nested model). */
  line: number;
  column: number;
  /** Line where the layer was added/applied (the `model.add(...)` or `.apply(...)` call). */
  useLine: number;
  inputShape: OutputShape | null;
  /** `null` when it cannot be known statically. */
  outputShape: OutputShape | null;
  params: number | null;
  trainableParams: number | null;
  /** Human formula of the parameter count, e.g. `3×3×1×32 + 32`. Empty when there are none. */
  formula: string | null;
  /** Multiply-accumulates per sample in the forward pass (torchinfo's Mult-Adds convention; see layers/macs.ts). */
  macs?: number | null;
  /** Float32 output elements × 4 per sample. */
  outputBytes?: number | null;
  /** Why the shape is unknown, when it is. */
  unknownReason?: string;
  /** Why the parameter count is unknown though the shape is known, when it is. */
  paramsUnknownReason?: string;
  /** Where the call that adds or applies the layer ends (1-based): where an inlay hint goes. */
  useEnd?: { line: number; column: number };
  /** The tensors the layer takes in this model (the edges of its graph). */
  inputs?: LayerInput[];
  /**
   * The call of a helper, or the loop iteration, that made this layer together with others of
   * the model (a repeated block): the graph groups and folds them.
   */
  block?: { id: number; label: string; line: number };
}

/** Training settings read from the file's `model.compile(...)` / `model.fit(...)` calls. */
export interface TrainingHints {
  /** tfjs optimizer identifier (`adam`) or the `tf.train.X` factory name. */
  optimizer?: string;
  learningRate?: number;
  /** tfjs loss identifier, e.g. `categoricalCrossentropy`; absent when it is a custom function. */
  loss?: string;
  /** True when `loss` is a user function (the panel must run the file's own objective). */
  customLoss?: boolean;
  metrics?: string[];
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  /** True when `fit` passes `validationData`: tensors built at run time, which the analysis cannot read. */
  validationData?: boolean;
  /** 1-based lines of the calls the values came from. */
  compileLine?: number;
  fitLine?: number;
}

export interface ModelResult {
  /** The variable the model is assigned to, or the function that returns it. */
  name: string;
  kind: 'sequential' | 'functional';
  line: number;
  column: number;
  /** Line/column where the model's statement ends: the lens sits on `line`. */
  layers: LayerResult[];
  inputShapes: Shape[] | null;
  outputShapes: Shape[] | null;
  totalParams: number | null;
  trainableParams: number | null;
  nonTrainableParams: number | null;
  /** The layers' multiply-accumulates per sample; null when one is not known or the model is incomplete. */
  totalMacs?: number | null;
  /** Parameters × 4 bytes (float32). */
  paramBytes?: number | null;
  /**
   * Set when code the analysis could not decide on may add layers to this model (e.g. "layers
   * added inside the `switch (rnnType)` on line 41 are not known"): `layers` lists the layers
   * known, and the totals are null.
   */
  incomplete?: string;
  /** Why which weights are trainable is not known, when it is not (trainable counts are null). */
  trainableUnknown?: string;
  /** The call in another file this model is shown for (`train.js:6`), when its builder is never called here. */
  callSite?: { label: string; function: string; index: number; count: number };
  /**
   * For a model built by a function this file never calls, shown with arguments from a call
   * elsewhere or from stated values: the call that builds the same model (what Train runs).
   */
  builderCall?: { function: string; args: unknown[] };
  /** Where the call that creates the model ends (1-based): where an inlay hint goes. */
  end?: { line: number; column: number };
  /** Values the user stated for the parameters of the function that builds it (`h = 9`), as used. */
  assumptions?: { key: string; value: unknown }[];
  /**
   * Parameters of the function that builds it that no call gives a value (`createModel.h`):
   * stating one (`modelLens.assumptions`, `--assume`) makes what depends on it known.
   */
  openParameters?: string[];
  /** The model's outputs, as layers of `layers` (the graph's output nodes). */
  outputs?: LayerOutputRef[];
  training: TrainingHints;
}

/** A call of an imported function, as recorded in the caller's analysis. */
export interface OutgoingCall {
  /** The callee's module file. */
  file: string;
  /** The callee's name (`createModel`, `Builder.build`). */
  function: string;
  /** 1-based line of the call in the caller. */
  line: number;
  args: unknown[];
}

/** A call site chosen for a builder: its label for the lens ("train.js:6") and its arguments. */
export interface CallSite {
  /** Where the call is, for the lens: `train.js:6`. */
  label: string;
  args: unknown[];
  /** Which of the builder's known calls this is, and how many there are (for switching). */
  index?: number;
  count?: number;
}

export interface AnalysisResult {
  file: string;
  models: ModelResult[];
  diagnostics: Diagnostic[];
  /** True when the file imports TensorFlow.js (`@tensorflow/tfjs`, `-layers`, `-node`...). */
  importsTfjs: boolean;
  /** The stated values (`FUNCTION.PARAM` keys) the analysis read, whichever model they reached. */
  assumptionsUsed?: string[];
  /** The project files the analysis read through imports (when given a module host). */
  dependencies?: string[];
  /** This file's calls of functions it imports, with their arguments as data (when given a module host). */
  outgoingCalls?: OutgoingCall[];
}
