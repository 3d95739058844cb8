/**
 * When the panel evaluates: after a run ends and on the Evaluate button, on the page's copy of
 * the model with the weights the run reached; a new model, dataset or run clears the section
 * and drops an evaluation still under way.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { evaluateModel, evaluationKind, evaluationSamples } from './evaluate';
import type { EvaluationSection } from './evaluationSection';

/** What the runner reads of the panel. */
export interface EvaluationSource {
  model(): tf.LayersModel | null;
  dataset(): DatasetArrays | null;
  config(): TrainConfig | null;
  /** The module trains with its own trainStep (no compiled loss, no evaluation). */
  customStep(): boolean;
  /** A run is under way (the model changes). */
  training(): boolean;
  closing(): boolean;
  /** Brings the page's model up to the trained weights. */
  syncWeights(): Promise<void>;
}

export class EvaluationRunner {
  /** Counts evaluations begun and resets: an evaluation overtaken by either is dropped. */
  private runs = 0;

  constructor(
    private readonly section: EvaluationSection,
    private readonly source: EvaluationSource,
  ) {}

  /** Shows the section, empty, for a model and data it applies to; hides it otherwise. */
  reset(): void {
    this.runs++;
    const model = this.source.model();
    const dataset = this.source.dataset();
    this.section.reset(
      model !== null && dataset !== null && !this.source.customStep() && evaluationKind(model, dataset) !== null,
    );
  }

  /** Evaluates the model as trained so far on the held-out samples. */
  async run(): Promise<void> {
    const { source } = this;
    const model = source.model();
    const dataset = source.dataset();
    const config = source.config();
    if (model === null || dataset === null || config === null || source.customStep() || source.training()) return;
    if (evaluationKind(model, dataset) === null) return;
    const run = ++this.runs;
    const samples = evaluationSamples(dataset, config);
    this.section.running(samples.indices.length, samples.heldOut);
    await source.syncWeights();
    const result = await evaluateModel(model, dataset, config, () => run !== this.runs || source.closing());
    if (result !== null && run === this.runs) this.section.show(result, dataset);
  }
}
