/**
 * What a data choice is: the `DataSpec` the host turns into a DatasetPayload (built-in data in
 * builtinDataset.ts, the user's files in the host's datasetLoader.ts) and the `DataChoice` the
 * Train command offers for it. Types only.
 */
import type { RandomTarget } from './syntheticDatasets';
import type { TextTarget } from './textDatasets';

/** How the host turns a choice into a DatasetPayload. */
export type DataSpec =
  | { source: 'mnist'; layout: 'image' | 'vector'; inputShape: number[]; target: 'onehot' | 'autoencoder' }
  /** Noise in, digits out: a GAN's generator (its trainStep shows the digits to the discriminator) or a decoder. */
  | { source: 'mnist-generator'; noiseShape: number[]; outputShape: number[] }
  | { source: 'sines-forecast'; timesteps: number; features: number; ysShape: number[] }
  | { source: 'sines-classes'; timesteps: number; features: number; classes: number }
  | { source: 'point-cloud'; dims: number }
  | TextSpec
  /** `tokenColumns`: the column ranges [start, end) of a row that hold word ids (all when absent). */
  | { source: 'random'; xsShape: number[]; target: RandomTarget; vocabularySize?: number; tokenColumns?: Array<[number, number]> }
  | { source: 'csv' | 'idx' | 'images'; files: FileTarget }
  /** The user's text file, turned into the same kind of data as `as` makes from the built-in corpus. */
  | { source: 'text-file'; as: TextSpec };

/** Data made from a corpus of token ids (the built-in one or a text file). */
export type TextSpec =
  | { source: 'text-sequences'; length: number; target: TextTarget; vocabularySize: number }
  | { source: 'skip-gram'; vocabularySize: number }
  | { source: 'cbow'; window: number; classes: number; vocabularySize: number };

/** The model side of a workspace file: shapes to map the file onto. */
export interface FileTarget {
  inputShape: number[];
  /** null for an autoencoder: targets are the inputs. */
  outputShape: number[] | null;
  softmaxClasses?: number;
}

export interface DataChoice {
  /** Stable id: `mnist-images`, `sines-forecast`, `csv`... */
  id: string;
  label: string;
  detail: string;
  spec: DataSpec;
  /** Gaussian noise on the inputs (denoising autoencoders). */
  inputNoise?: number;
}
