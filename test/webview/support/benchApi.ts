/** Types shared by the training bench's page and scripts/benchTraining.ts (DOM-free). */
import type { ModelTarget, TrainConfig } from '../../../src/shared/messages';

export interface BenchCase {
  label: string;
  bundleUrl: string;
  target: ModelTarget;
  config: TrainConfig;
  /** The panel's workers setting (data-parallel training; 1: the training worker alone). */
  workers: number;
}

export interface BenchMeasurement {
  model: string;
  backend: string;
  samples: number;
  fitSamplesPerSecond: number;
  panelSamplesPerSecond: number;
  /** Median over the alternated pairs of panel / fit. */
  ratio: number;
  pairs: Array<{ fit: number; panel: number }>;
  viewRefreshes: number;
  panelTiming: unknown;
  /**
   * The page's long tasks during the panel's runs (worst run): how many, how many over 100 ms, the
   * longest, and the longest per view whose refresh it fell in ('other': outside the views' refreshes);
   * apart, the longest before training began (the panel's first layout, loading the model).
   */
  longTasks: {
    count: number;
    over100: number;
    maxMs: number;
    byView: Record<string, number>;
    beforeTrainingMaxMs: number;
    beforeTrainingByView: Record<string, number>;
    /**
     * Animation frames over 100 ms while training (all runs, longest first), from Long Animation
     * Frame entries: the view whose refresh it fell in, its script time, the views' read steps that
     * ended in it (their sum and the longest), forced style/layout inside scripts, rendering
     * (style, layout, paint) at its end, and its three longest scripts.
     */
    frames: BenchFrame[];
    /** The same for frames over 100 ms before training began (opening the panel, loading the model). */
    beforeFrames: BenchFrame[];
  };
}

export interface BenchFrame {
  start: number;
  ms: number;
  view: string;
  scriptMs: number;
  stepsMs: number;
  longestStepMs: number;
  forcedLayoutMs: number;
  renderMs: number;
  /** Its three longest scripts: time, invoker and function, and where it is (file:character). */
  entry: string;
}

export interface BenchPageApi {
  autoBackend(): Promise<{ name: string; reason: string }>;
  /** `repeats` alternated runs of plain fit and of the panel: best samples/s of each, median ratio. */
  measure(c: BenchCase, backend: string, datasetUrl: string, views: 'all' | 'none', repeats: number): Promise<BenchMeasurement>;
}
