/**
 * The contract between the training panel and its inspection views (filters, activations,
 * gates, latent space, histograms). Views read the live model between batches; every probe
 * runs in `tf.tidy` or disposes what it makes, and reads data back asynchronously.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import type { GanLossPoint, GanLosses } from '../probes/ganLosses';

export interface ProbeContext {
  tf: typeof tfjs;
  model: tfjs.LayersModel;
  dataset: DatasetArrays;
  /** The sample chosen for activations/gates (index into the dataset). */
  sampleIndex: number;
  /** A user-drawn 28×28 sample replacing the dataset sample, when there is one. */
  drawnSample?: Float32Array;
  epoch: number;
  batch: number;
  focusedLayer: string | null;
  /**
   * A GAN's two losses, measured where its discriminator lives (null: no GAN, or nothing trained
   * yet), with every measurement of the run so far (`history`) where the panel records them.
   */
  ganLosses?: () => Promise<(GanLosses & { history?: GanLossPoint[] }) | null>;
}

/**
 * How a view shows a layer: not at all, among the others (activations of every layer), or as
 * the view made for it (a convolution's filters, a recurrent layer's gates).
 */
export type LayerFit = 'none' | 'shown' | 'own';

export interface InspectionView {
  readonly id: string;
  /** Tab title, e.g. "Filters". */
  readonly title: string;
  /** Whether this view has something to show for the model (gates need an LSTM/GRU...). */
  applies(model: tfjs.LayersModel): boolean;
  /** Build the DOM once. */
  mount(container: HTMLElement): void;
  /** Recompute and redraw from the live model. Must not keep tensors alive. */
  refresh(ctx: ProbeContext): Promise<void>;
  /** Scroll to / highlight a layer (a CodeLens was clicked). */
  focusLayer?(layerName: string): void;
  /**
   * Whether this view shows the layer named `layerName` (a name or path as the views give
   * them) of `model`: a lens click from a tab that does not show it switches to a view that does.
   */
  showsLayer?(model: tfjs.LayersModel, layerName: string): LayerFit;
  dispose(): void;
}
