/**
 * Generated training data for the seed systems, as DatasetPayloads: noisy sines (forecasting
 * "next N steps", or classifying sequences by frequency) for RNN/LSTM/GRU/Conv1D models, a 3-D
 * point cloud near a plane for the linear-autoencoder-vs-PCA demo, and random data shaped like
 * any model (a smoke test), and a small built-in text corpus as token ids for embeddings with
 * word2vec skip-gram pairs and CBOW context windows. Deterministic: the same options and seed give the same bytes.
 * Pure: no `vscode`, no DOM, no Node APIs.
 */
import type { DatasetArrays, DatasetPayload } from '../protocol/messages';
import { gaussian, seededRandom } from './random';
import { buildVocabulary, encode, FIRST_WORD_ID, padSequence, PAD_ID, tokenize, UNKNOWN_ID } from './text';
import type { TokenCorpus } from './text';


export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** `2,048 × 28×28×1`. */
export function describeShape(shape: readonly number[]): string {
  const [n, ...rest] = shape;
  return `${(n ?? 0).toLocaleString('en-US')} × ${rest.length > 0 ? rest.join('×') : '1'}`;
}

function ownBuffer(array: Float32Array | Int32Array): ArrayBuffer {
  const buffer = array.buffer as ArrayBuffer;
  return array.byteOffset === 0 && array.byteLength === buffer.byteLength
    ? buffer
    : buffer.slice(array.byteOffset, array.byteOffset + array.byteLength);
}

/** Typed arrays → the protocol's ArrayBuffers (labels as int32), checking sizes against shapes. */
export function toPayload(parts: DatasetArrays): DatasetPayload {
  if (parts.xs.length !== product(parts.xsShape)) {
    throw new Error(`internal: xs has ${parts.xs.length} values for shape [${parts.xsShape.join(', ')}]`);
  }
  const payload: DatasetPayload = {
    id: parts.id,
    description: parts.description,
    xs: ownBuffer(parts.xs),
    xsShape: parts.xsShape,
    sampleKind: parts.sampleKind,
  };
  if (parts.ys && parts.ysShape) {
    if (parts.ys.length !== product(parts.ysShape)) {
      throw new Error(`internal: ys has ${parts.ys.length} values for shape [${parts.ysShape.join(', ')}]`);
    }
    payload.ys = ownBuffer(parts.ys);
    payload.ysShape = parts.ysShape;
  }
  if (parts.labels) payload.labels = ownBuffer(parts.labels);
  if (parts.inputNoise !== undefined) payload.inputNoise = parts.inputNoise;
  return payload;
}

/** One-hot rows for integer classes in [0, classes). */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + (labels[i] ?? 0)] = 1;
  return out;
}

// ---- noisy sines -------------------------------------------------------------------------

export interface ForecastOptions {
  count: number;
  /** Input window length. */
  timesteps: number;
  /** Channels per time step; each is a sine of its own frequency, phase and amplitude. */
  features: number;
  /**
   * Target shape per sample: `[k]` = the next step of every channel when k equals `features`,
   * else the next k steps of channel 0; `[t, f]` = the next t steps of the first f channels.
   */
  ysShape: number[];
  seed?: number;
  noise?: number;
}

/** A channel's value at step t: a sine with a slow drift, plus noise added by the caller. */
interface Wave {
  amplitude: number;
  frequency: number;
  phase: number;
}

function randomWave(random: () => number, minPeriod = 8, maxPeriod = 40): Wave {
  const period = minPeriod + random() * (maxPeriod - minPeriod);
  return { amplitude: 0.5 + random() * 0.5, frequency: (2 * Math.PI) / period, phase: random() * 2 * Math.PI };
}

function waveAt(wave: Wave, t: number): number {
  return wave.amplitude * Math.sin(wave.frequency * t + wave.phase);
}

/** Checks a forecasting target shape against the input; returns how many steps/channels it needs. */
export function forecastTarget(
  ysShape: readonly number[],
  features: number,
): { steps: number; channels: number } | string {
  if (ysShape.length === 1) {
    const k = ysShape[0] ?? 0;
    if (k < 1) return `a target of ${k} values cannot be forecast`;
    return k === features ? { steps: 1, channels: features } : { steps: k, channels: 1 };
  }
  if (ysShape.length === 2) {
    const [steps = 0, channels = 0] = ysShape;
    if (steps < 1 || channels < 1) return `a target of [${ysShape.join(', ')}] cannot be forecast`;
    if (channels > features) return `the output has ${channels} channels but the input only ${features}`;
    return { steps, channels };
  }
  return `a target of rank ${ysShape.length} cannot be forecast from sines`;
}

/**
 * "Next N steps" forecasting windows over noisy sines: xs `[n, timesteps, features]`,
 * ys `[n, ...ysShape]` (see ForecastOptions.ysShape).
 */
export function generateForecast(options: ForecastOptions): DatasetPayload {
  const { count, timesteps, features, ysShape } = options;
  const target = forecastTarget(ysShape, features);
  if (typeof target === 'string') throw new Error(`Noisy sines: ${target}.`);
  const random = seededRandom(options.seed ?? 1);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.05;
  const xs = new Float32Array(count * timesteps * features);
  const ys = new Float32Array(count * product(ysShape));
  const perTarget = product(ysShape);
  for (let i = 0; i < count; i++) {
    const waves = Array.from({ length: features }, () => randomWave(random));
    const start = Math.floor(random() * 100);
    for (let t = 0; t < timesteps; t++) {
      for (let f = 0; f < features; f++) {
        xs[(i * timesteps + t) * features + f] = waveAt(waves[f] as Wave, start + t) + noise * normal();
      }
    }
    // The targets are the clean continuation: the model learns the signal, not the noise.
    let k = 0;
    for (let s = 0; s < target.steps; s++) {
      for (let c = 0; c < target.channels; c++) {
        ys[i * perTarget + k++] = waveAt(waves[c] as Wave, start + timesteps + s);
      }
    }
  }
  const what = target.steps === 1 ? 'the next step' : `the next ${target.steps} steps`;
  return toPayload({
    id: 'sines-forecast',
    description: `Noisy sines, ${describeShape([count, timesteps, features])}: forecast ${what}`,
    xs,
    xsShape: [count, timesteps, features],
    ys,
    ysShape: [count, ...ysShape],
    sampleKind: 'sequence',
  });
}

export interface SineClassOptions {
  count: number;
  timesteps: number;
  features: number;
  /** Number of frequency bands; 1 means a sigmoid output (slow = 0, fast = 1). */
  classes: number;
  seed?: number;
  noise?: number;
}

/** Noisy sines labelled by frequency band: xs `[n, timesteps, features]`, ys one-hot (or [n, 1]). */
export function generateSineClasses(options: SineClassOptions): DatasetPayload {
  const { count, timesteps, features } = options;
  const binary = options.classes <= 1;
  const bands = binary ? 2 : options.classes;
  const random = seededRandom(options.seed ?? 2);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.1;
  const xs = new Float32Array(count * timesteps * features);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const band = i % bands;
    labels[i] = band;
    // Periods from 40 (band 0) down to 4 steps: each band a distinct speed.
    const maxPeriod = 40 / Math.pow(40 / 4, band / bands);
    const minPeriod = 40 / Math.pow(40 / 4, (band + 1) / bands);
    const waves = Array.from({ length: features }, () => randomWave(random, minPeriod, maxPeriod));
    for (let t = 0; t < timesteps; t++) {
      for (let f = 0; f < features; f++) {
        xs[(i * timesteps + t) * features + f] = waveAt(waves[f] as Wave, t) + noise * normal();
      }
    }
  }
  const ys = binary ? Float32Array.from(labels) : oneHot(labels, bands);
  return toPayload({
    id: 'sines-classes',
    description: `Noisy sines, ${describeShape([count, timesteps, features])}: ${bands} frequency bands`,
    xs,
    xsShape: [count, timesteps, features],
    ys,
    ysShape: binary ? [count, 1] : [count, bands],
    labels,
    sampleKind: 'sequence',
  });
}

// ---- point cloud ---------------------------------------------------------------------------

export interface PointCloudOptions {
  count: number;
  /** Dimensions of each point (3 for the linear-autoencoder demo). */
  dims: number;
  seed?: number;
  /** Distance of the points from the plane (standard deviation). */
  noise?: number;
}

/**
 * Points near a 2-D plane through the origin of a `dims`-D space, the data of the
 * "linear autoencoder = PCA" demo: xs `[n, dims]`, no ys (targets are the inputs).
 */
export function generatePointCloud(options: PointCloudOptions): DatasetPayload {
  const { count, dims } = options;
  const random = seededRandom(options.seed ?? 3);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.1;
  // Two fixed directions spanning the plane, and the coordinates along them.
  const u = Array.from({ length: dims }, () => normal());
  const v = Array.from({ length: dims }, () => normal());
  const xs = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const a = 2 * random() - 1;
    const b = 0.5 * (2 * random() - 1);
    for (let d = 0; d < dims; d++) {
      xs[i * dims + d] = a * (u[d] ?? 0) + b * (v[d] ?? 0) + noise * normal();
    }
  }
  return toPayload({
    id: 'point-cloud',
    description: `Point cloud near a plane, ${describeShape([count, dims])} (linear autoencoder ≈ PCA)`,
    xs,
    xsShape: [count, dims],
    sampleKind: 'vector',
  });
}

// ---- random data shaped like the model ---------------------------------------------------------

export type RandomTarget =
  | { kind: 'none' }
  | { kind: 'onehot'; classes: number }
  | { kind: 'binary' }
  | { kind: 'real'; shape: number[] };

export interface RandomOptions {
  count: number;
  /** Per-sample input shape. */
  xsShape: number[];
  target: RandomTarget;
  /** Integer inputs in [0, vocabSize) instead of Gaussian floats (models starting with an Embedding). */
  vocabularySize?: number;
  /** With `vocabularySize`: only these column ranges [start, end) of a row are ids (an Embedding beside numeric inputs). */
  tokenColumns?: ReadonlyArray<readonly [number, number]>;
  seed?: number;
}

/** Random data that fits any single-input model: a smoke test that the model trains at all. */
export function generateRandom(options: RandomOptions): DatasetPayload {
  const { count, xsShape, target } = options;
  const random = seededRandom(options.seed ?? 4);
  const normal = gaussian(random);
  const xs = new Float32Array(count * product(xsShape));
  const vocab = options.vocabularySize;
  const row = product(xsShape);
  const ranges = options.tokenColumns;
  const isId = (column: number): boolean => vocab !== undefined && (ranges === undefined || ranges.some(([start, end]) => column >= start && column < end));
  const idColumn = Array.from({ length: row }, (_, c) => isId(c));
  for (let i = 0; i < xs.length; i++) xs[i] = idColumn[i % row] ? Math.floor(random() * vocab!) : normal();
  const allIds = idColumn.every((x) => x);
  const parts: DatasetArrays = {
    id: 'random',
    description: `Random data, ${describeShape([count, ...xsShape])} (a smoke test: nothing to learn)`,
    xs,
    xsShape: [count, ...xsShape],
    sampleKind: vocab && allIds ? 'tokens' : xsShape.length >= 2 ? 'sequence' : 'vector',
  };
  if (target.kind === 'onehot') {
    const labels = Int32Array.from({ length: count }, () => Math.floor(random() * target.classes));
    parts.ys = oneHot(labels, target.classes);
    parts.ysShape = [count, target.classes];
    parts.labels = labels;
  } else if (target.kind === 'binary') {
    const labels = Int32Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
    parts.ys = Float32Array.from(labels);
    parts.ysShape = [count, 1];
    parts.labels = labels;
  } else if (target.kind === 'real') {
    parts.ys = Float32Array.from({ length: count * product(target.shape) }, () => normal());
    parts.ysShape = [count, ...target.shape];
  }
  return toPayload(parts);
}

// ---- text: the built-in corpus, sequences, skip-gram pairs, CBOW windows -------------------------

/** Short sentences on three topics, each positive or negative: enough to see embeddings cluster. */
const CORPUS: ReadonlyArray<readonly [topic: number, positive: boolean, sentence: string]> = [
  [0, true, 'The sun is warm and the sky is clear and blue today.'],
  [0, true, 'A gentle breeze and bright sunshine made the morning lovely.'],
  [0, true, 'After the rain the air smelled fresh and the sky turned blue.'],
  [0, true, 'We enjoyed a calm sunny afternoon with a light warm wind.'],
  [0, true, 'The snow was soft and the cold air felt clean and bright.'],
  [0, true, 'Clear skies and mild weather are perfect for a long walk.'],
  [0, true, 'The spring rain was gentle and the garden looks wonderful.'],
  [0, false, 'The storm was loud and the rain flooded the dark streets.'],
  [0, false, 'A cold grey wind blew all day and the sky stayed dark.'],
  [0, false, 'Heavy snow and ice made the roads dangerous and slow.'],
  [0, false, 'The heat was terrible and the air felt heavy and humid.'],
  [0, false, 'Thunder and hail ruined the afternoon and the garden.'],
  [0, false, 'Fog and freezing rain made the morning miserable.'],
  [0, false, 'The forecast promised sun but the storm came back again.'],
  [1, true, 'The soup was hot and tasty and the bread was fresh.'],
  [1, true, 'We loved the sweet ripe fruit and the warm apple pie.'],
  [1, true, 'The chef cooked a delicious meal with fresh herbs.'],
  [1, true, 'A bowl of rice with spicy vegetables tasted wonderful.'],
  [1, true, 'The coffee was rich and the cake was soft and sweet.'],
  [1, true, 'Fresh pasta with tomato sauce is a perfect dinner.'],
  [1, true, 'The cheese and the warm bread made a lovely lunch.'],
  [1, false, 'The soup was cold and the bread was stale and dry.'],
  [1, false, 'The meat was burnt and the sauce tasted terrible.'],
  [1, false, 'We waited an hour for a bland and greasy meal.'],
  [1, false, 'The fruit was rotten and the cake was far too sweet.'],
  [1, false, 'The coffee was bitter and the milk had gone sour.'],
  [1, false, 'The rice was undercooked and the vegetables were soggy.'],
  [1, false, 'A salty dinner and a dirty table ruined the evening.'],
  [2, true, 'The train was fast and the seats were clean and quiet.'],
  [2, true, 'Our flight arrived early and the city looked beautiful.'],
  [2, true, 'The hotel room was bright with a lovely view of the sea.'],
  [2, true, 'We walked through the old town and found a quiet beach.'],
  [2, true, 'The guide was friendly and the museum was wonderful.'],
  [2, true, 'A short bus ride took us to a calm village by the lake.'],
  [2, true, 'The road through the mountains was scenic and smooth.'],
  [2, false, 'The train was late and the carriage was crowded and hot.'],
  [2, false, 'Our flight was cancelled and we slept at the airport.'],
  [2, false, 'The hotel room was dirty and the street was noisy.'],
  [2, false, 'We lost our bags and the taxi driver was rude.'],
  [2, false, 'The museum was closed and the beach was full of litter.'],
  [2, false, 'The bus broke down on a dark road far from the village.'],
  [2, false, 'Traffic was terrible and the trip took twice as long.'],
];

const TOPICS = ['weather', 'food', 'travel'];
const BUILTIN_SOURCE = 'the built-in corpus';

/** How many classes the model predicts, and how a corpus sentence maps to one. */
export type TextTarget = { kind: 'binary' } | { kind: 'onehot'; classes: number } | { kind: 'none' };

/**
 * The built-in corpus, its vocabulary capped at `maxVocabulary` ids (an Embedding's inputDim).
 * Labels fit `target`: sentiment for a sigmoid or 2 classes, the topic for 3, topic × sentiment
 * (modulo k) otherwise; none without a target.
 */
export function builtinCorpus(maxVocabulary?: number, target: TextTarget = { kind: 'none' }): TokenCorpus {
  const tokens = CORPUS.map(([, , sentence]) => tokenize(sentence));
  const vocabulary = buildVocabulary(tokens.flat(), maxVocabulary);
  const corpus: TokenCorpus = {
    source: BUILTIN_SOURCE,
    vocabulary,
    sentences: tokens.map((t) => encode(t, vocabulary)),
  };
  if (target.kind === 'none') return corpus;
  const both = TOPICS.flatMap((topic) => [`${topic} (negative)`, `${topic} (positive)`]);
  if (target.kind === 'binary' || target.classes === 2) {
    corpus.labels = CORPUS.map(([, positive]) => (positive ? 1 : 0));
    corpus.classNames = ['negative', 'positive'];
  } else if (target.classes === TOPICS.length) {
    corpus.labels = CORPUS.map(([topic]) => topic);
    corpus.classNames = [...TOPICS];
  } else {
    corpus.labels = CORPUS.map(([topic, positive]) => (topic * 2 + (positive ? 1 : 0)) % target.classes);
    corpus.classNames = both.slice(0, target.classes);
  }
  return corpus;
}

export interface SequenceOptions {
  count: number;
  /** Ids per row (the model's input length). */
  length: number;
  target: TextTarget;
  seed?: number;
}

/**
 * Token-id rows `[n, length]` for sequence models (Embedding → RNN/pooling → classifier): each
 * row joins 1–4 random sentences of one class, padded in front. Labels are the corpus's class ids
 * (checked against the target); an unlabelled corpus or a `none` target gets no ys.
 */
export function generateTokenSequences(corpus: TokenCorpus, options: SequenceOptions): DatasetPayload {
  const { count, length, target } = options;
  const random = seededRandom(options.seed ?? 5);
  const xs = new Float32Array(count * length);
  const labelled = corpus.labels !== undefined && target.kind !== 'none';
  const labels = new Int32Array(count);
  if (target.kind !== 'none' && corpus.labels === undefined) {
    throw new Error(
      `${corpus.source}: the model is a classifier but the text has no labels; write one example per line as "label<TAB>text".`,
    );
  }
  if (labelled) checkLabels(corpus, target);
  const byLabel = new Map<number, number[][]>();
  corpus.sentences.forEach((sentence, i) => {
    const key = labelled ? (corpus.labels?.[i] ?? 0) : 0;
    const group = byLabel.get(key) ?? [];
    group.push(sentence);
    byLabel.set(key, group);
  });
  const keys = [...byLabel.keys()].sort((a, b) => a - b);
  for (let i = 0; i < count; i++) {
    const key = keys[i % keys.length] ?? 0;
    const group = byLabel.get(key) ?? [[]];
    const parts = 1 + Math.floor(random() * 4);
    const ids: number[] = [];
    for (let p = 0; p < parts; p++) ids.push(...(group[Math.floor(random() * group.length)] ?? []));
    xs.set(padSequence(ids, length), i * length);
    labels[i] = key;
  }
  const parts: DatasetArrays = {
    id: corpus.source === BUILTIN_SOURCE ? 'text-sequences' : `text-sequences:${corpus.source}`,
    description: `Sentences from ${corpus.source}, ${describeShape([count, length])} token ids (vocabulary ${corpus.vocabulary.size})`,
    xs,
    xsShape: [count, length],
    sampleKind: 'tokens',
  };
  if (labelled && target.kind === 'binary') {
    parts.ys = Float32Array.from(labels);
    parts.ysShape = [count, 1];
    parts.labels = labels;
    parts.description += ', labels: negative/positive';
  } else if (labelled && target.kind === 'onehot') {
    parts.ys = oneHot(labels, target.classes);
    parts.ysShape = [count, target.classes];
    parts.labels = labels;
    parts.description += `, ${target.classes} classes`;
  }
  return toPayload(parts);
}

function checkLabels(corpus: TokenCorpus, target: TextTarget): void {
  const classes = target.kind === 'onehot' ? target.classes : 2;
  const found = corpus.classNames?.length ?? Math.max(0, ...(corpus.labels ?? [])) + 1;
  if (found > classes) {
    const names = corpus.classNames ? ` (${corpus.classNames.slice(0, 6).join(', ')}${found > 6 ? ', …' : ''})` : '';
    throw new Error(
      `${corpus.source}: ${found} different labels${names}, but the model predicts ${target.kind === 'onehot' ? `${classes} ${classes === 1 ? 'class' : 'classes'}` : 'one sigmoid unit (2 classes)'}.`,
    );
  }
}

export interface SkipGramOptions {
  /** Context words on each side of the target. */
  window?: number;
  /** Negative (random) pairs per positive pair. */
  negatives?: number;
  seed?: number;
}

/**
 * word2vec skip-gram pairs: xs `[n, 2]` = (target id, context id), ys `[n, 1]` = 1 when the
 * context word really occurred within `window` words of the target, 0 for a random word.
 */
export function generateSkipGrams(corpus: TokenCorpus, options: SkipGramOptions = {}): DatasetPayload {
  const window = options.window ?? 2;
  const negatives = options.negatives ?? 1;
  const random = seededRandom(options.seed ?? 6);
  const vocabularySize = corpus.vocabulary.size;
  const pairs: number[] = [];
  const targets: number[] = [];
  for (const sentence of corpus.sentences) {
    for (let i = 0; i < sentence.length; i++) {
      for (let j = Math.max(0, i - window); j <= Math.min(sentence.length - 1, i + window); j++) {
        if (j === i) continue;
        pairs.push(sentence[i] ?? UNKNOWN_ID, sentence[j] ?? UNKNOWN_ID);
        targets.push(1);
        for (let k = 0; k < negatives; k++) {
          const word = FIRST_WORD_ID + Math.floor(random() * Math.max(1, vocabularySize - FIRST_WORD_ID));
          pairs.push(sentence[i] ?? UNKNOWN_ID, word);
          targets.push(0);
        }
      }
    }
  }
  const n = targets.length;
  return toPayload({
    id: corpus.source === BUILTIN_SOURCE ? 'skip-gram' : `skip-gram:${corpus.source}`,
    description: `Skip-gram pairs from ${corpus.source}: ${n.toLocaleString('en-US')} (target, context) pairs, window ${window}, ${negatives} negative per positive`,
    xs: Float32Array.from(pairs),
    xsShape: [n, 2],
    ys: Float32Array.from(targets),
    ysShape: [n, 1],
    labels: Int32Array.from(targets),
    sampleKind: 'tokens',
  });
}

export interface CbowOptions {
  /** Context words on each side of the centre word (the input has 2 × window ids). */
  window: number;
  /** Output classes (the softmax units): ids at or above are mapped to the unknown id. */
  classes: number;
}

/** word2vec CBOW windows: xs `[n, 2·window]` context ids, ys one-hot `[n, classes]` centre word. */
export function generateCbow(corpus: TokenCorpus, options: CbowOptions): DatasetPayload {
  const { window, classes } = options;
  const contexts: number[] = [];
  const centres: number[] = [];
  for (const sentence of corpus.sentences) {
    for (let i = 0; i < sentence.length; i++) {
      for (let d = -window; d <= window; d++) {
        if (d === 0) continue;
        contexts.push(sentence[i + d] ?? PAD_ID);
      }
      const centre = sentence[i] ?? UNKNOWN_ID;
      centres.push(centre < classes ? centre : UNKNOWN_ID);
    }
  }
  const n = centres.length;
  return toPayload({
    id: corpus.source === BUILTIN_SOURCE ? 'cbow' : `cbow:${corpus.source}`,
    description: `CBOW windows from ${corpus.source}: ${n.toLocaleString('en-US')} × ${2 * window} context words → centre word`,
    xs: Float32Array.from(contexts),
    xsShape: [n, 2 * window],
    ys: oneHot(centres, classes),
    ysShape: [n, classes],
    labels: Int32Array.from(centres),
    sampleKind: 'tokens',
  });
}
