/**
 * The built-in text corpus and the datasets made from it: token-id sequences (with sentiment or
 * topic labels) for Embedding + RNN models, word2vec skip-gram pairs and CBOW context windows.
 * Deterministic: the same options and seed give the same bytes. Pure: no `vscode`, no DOM.
 */
import type { DatasetArrays, DatasetPayload } from '../shared/messages';
import { describeShape, oneHot, toPayload } from './payload';
import { seededRandom } from '../shared/random';
import { buildVocabulary, encode, FIRST_WORD_ID, padSequence, PAD_ID, tokenize, UNKNOWN_ID } from './text';
import type { TokenCorpus } from './text';

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
