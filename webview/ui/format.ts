/** Number formatting for the panel's read-outs (deterministic: tests read these back). */
import { formatCount, formatLoss, formatMetric } from '../../src/shared/format';

/**
 * `93,322`: counts grouped as the lenses and the CLI print them; losses and metrics as VS Code's
 * progress notification shows them too (src/shared/format.ts).
 */
export { formatCount, formatLoss, formatMetric };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '–';
  return perSecond >= 100 ? formatCount(Math.round(perSecond)) : perSecond.toFixed(1);
}
