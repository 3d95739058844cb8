/**
 * Text → integer token ids for embedding models: a simple word tokeniser, a frequency-ranked
 * vocabulary with reserved ids (0 = padding, 1 = unknown word) and sentence encoding.
 * Used for the built-in corpus (textDatasets.ts) and for the user's own text files.
 * Pure: no `vscode`, no DOM, no Node APIs.
 */

export const PAD_ID = 0;
export const UNKNOWN_ID = 1;
/** Ids below this are reserved (padding, unknown). */
export const FIRST_WORD_ID = 2;

/** Lower-cased words (letters, digits, apostrophes inside words); punctuation dropped. */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu);
  return words ?? [];
}

/** Sentences: split on . ! ? and line breaks; empty ones dropped. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => tokenize(s).length > 0);
}

export interface Vocabulary {
  /** Word → id (ids start at FIRST_WORD_ID; more frequent words get smaller ids). */
  ids: Map<string, number>;
  /** Id → word; index 0 is `<pad>`, 1 is `<unk>`. */
  words: string[];
  /** Total size including the reserved ids: valid ids are [0, size). */
  size: number;
}

/**
 * The `maxSize - 2` most frequent words (ties broken alphabetically, so it is deterministic),
 * after the reserved padding and unknown ids.
 */
export function buildVocabulary(tokens: readonly string[], maxSize = Number.POSITIVE_INFINITY): Vocabulary {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, Math.max(0, maxSize - FIRST_WORD_ID)).map(([word]) => word);
  const words = ['<pad>', '<unk>', ...kept];
  const ids = new Map<string, number>();
  kept.forEach((word, i) => ids.set(word, i + FIRST_WORD_ID));
  return { ids, words, size: words.length };
}

export function encode(tokens: readonly string[], vocabulary: Vocabulary): number[] {
  return tokens.map((token) => vocabulary.ids.get(token) ?? UNKNOWN_ID);
}

/**
 * A fixed-length row: longer sequences keep their last `length` ids, shorter ones are
 * padded with PAD_ID in front (Keras `pad_sequences` defaults).
 */
export function padSequence(ids: readonly number[], length: number): number[] {
  if (ids.length >= length) return ids.slice(ids.length - length);
  return [...new Array<number>(length - ids.length).fill(PAD_ID), ...ids];
}

export interface TokenCorpus {
  /** Where the text came from, for messages ("the built-in corpus", "notes/reviews.txt"). */
  source: string;
  vocabulary: Vocabulary;
  /** Each sentence as ids. */
  sentences: number[][];
  /** Per-sentence class, when the corpus is labelled. */
  labels?: number[];
  /** Names of the classes, when labelled. */
  classNames?: string[];
}

/** Tokenises a text file into sentences of ids; throws a message naming the file when it has no words. */
export function corpusFromText(text: string, source: string, maxVocabulary?: number): TokenCorpus {
  const sentences = splitSentences(text).map(tokenize);
  const all = sentences.flat();
  if (all.length === 0) throw new Error(`${source}: the file contains no words to train on.`);
  if (all.length < 20) {
    throw new Error(`${source}: only ${all.length} words; an embedding needs at least 20 to learn anything.`);
  }
  const vocabulary = buildVocabulary(all, maxVocabulary);
  return { source, vocabulary, sentences: sentences.map((s) => encode(s, vocabulary)) };
}

/**
 * A text file as a corpus. Files whose lines are `label<TAB>text` are labelled (labels numbered
 * in sorted order, or used as they are when all are integers); otherwise each sentence is an
 * unlabelled example. A file mixing both names the first line without a tab.
 */
export function corpusFromFile(text: string, source: string, maxVocabulary?: number): TokenCorpus {
  const lines = text.split(/\r\n|\n|\r/);
  const tabbed = lines.filter((line) => line.includes('\t')).length;
  if (tabbed === 0) return corpusFromText(text, source, maxVocabulary);
  const rows: { label: string; tokens: string[] }[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new Error(`${source}, line ${i + 1}: expected "label<TAB>text" like the other lines, found no tab.`);
    rows.push({ label: line.slice(0, tab).trim(), tokens: tokenize(line.slice(tab + 1)) });
  });
  const all = rows.flatMap((r) => r.tokens);
  if (all.length < 20) {
    throw new Error(`${source}: only ${all.length} words; an embedding needs at least 20 to learn anything.`);
  }
  const vocabulary = buildVocabulary(all, maxVocabulary);
  const names = [...new Set(rows.map((r) => r.label))].sort();
  const numeric = names.every((name) => /^\d+$/.test(name));
  const classNames = numeric ? Array.from({ length: Math.max(...names.map(Number)) + 1 }, (_, i) => String(i)) : names;
  return {
    source,
    vocabulary,
    sentences: rows.map((r) => encode(r.tokens, vocabulary)),
    labels: rows.map((r) => (numeric ? Number(r.label) : names.indexOf(r.label))),
    classNames,
  };
}
