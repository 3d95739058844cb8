/** Number formatting for the panel's read-outs (deterministic: tests read these back). */
import { formatCount } from '../../src/shared/format';

/** `93,322`: counts grouped as the lenses and the CLI print them (src/shared/format.ts). */
export { formatCount };

/** Four significant digits, exponent form for tiny or huge values: 0.2315, 12.35, 3.142e-5. */
export function formatLoss(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

/** Accuracy-like metrics in [0, 1] as percentages, others like losses. */
export function formatMetric(name: string, value: number): string {
  if (/acc|precision|recall/i.test(name) && value >= 0 && value <= 1) return `${(value * 100).toFixed(1)}%`;
  return formatLoss(value);
}

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
