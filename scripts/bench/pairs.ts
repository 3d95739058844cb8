/**
 * The training bench measures one (fit, panel) pair per page call, so that PyTorch can run between
 * the pairs; this folds the pairs of one model and backend into one measurement, as the page does
 * for pairs it runs itself (best samples/s of each side, median of the pairs' ratios, worst long
 * tasks, every long frame).
 */
import type { BenchMeasurement } from '../../test/webview/support/benchApi';

const maxBy = (runs: readonly BenchMeasurement[], pick: (r: BenchMeasurement) => number): number => Math.max(...runs.map(pick));

function worstByView(maps: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const all: Record<string, number> = {};
  for (const map of maps) for (const [id, ms] of Object.entries(map)) all[id] = Math.max(all[id] ?? 0, ms);
  return all;
}

/** One measurement from single-pair ones of the same model and backend, in the order they ran. */
export function mergePairs(runs: readonly BenchMeasurement[]): BenchMeasurement {
  const first = runs[0];
  if (first === undefined) throw new Error('mergePairs: no runs');
  const pairs = runs.flatMap((r) => r.pairs);
  const ratios = pairs.map((p) => p.panel / p.fit).sort((a, b) => a - b);
  const best = runs.reduce((a, b) => (b.panelSamplesPerSecond > a.panelSamplesPerSecond ? b : a));
  return {
    model: first.model,
    backend: first.backend,
    samples: first.samples,
    fitSamplesPerSecond: maxBy(runs, (r) => r.fitSamplesPerSecond),
    panelSamplesPerSecond: best.panelSamplesPerSecond,
    // The page's rule: the upper middle where the count is even.
    ratio: ratios[Math.floor(ratios.length / 2)]!,
    pairs,
    viewRefreshes: best.viewRefreshes,
    panelTiming: best.panelTiming,
    longTasks: {
      count: maxBy(runs, (r) => r.longTasks.count),
      over100: maxBy(runs, (r) => r.longTasks.over100),
      maxMs: maxBy(runs, (r) => r.longTasks.maxMs),
      byView: worstByView(runs.map((r) => r.longTasks.byView)),
      beforeTrainingMaxMs: maxBy(runs, (r) => r.longTasks.beforeTrainingMaxMs),
      beforeTrainingByView: worstByView(runs.map((r) => r.longTasks.beforeTrainingByView)),
      frames: runs.flatMap((r) => r.longTasks.frames).sort((a, b) => b.ms - a.ms),
      beforeFrames: runs.flatMap((r) => r.longTasks.beforeFrames).sort((a, b) => b.ms - a.ms),
    },
  };
}
