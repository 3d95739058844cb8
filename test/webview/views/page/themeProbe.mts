/**
 * A script added to the views test page for the theme-repaint tests (test/webview/views/
 * themeRepaint.test.ts): the panel's training curves and prediction plot beside the views the
 * harness mounts, theme switches as VS Code makes them (test/webview/page/themes.mts), and the
 * pixel counts the tests compare. Exposes `window.themeProbe` (../themeProbeApi.ts).
 */
import { renderPredictionPlot } from '../../../../webview/evaluation/predictionPlot';
import { readable } from '../../../../webview/ui/contrast';
import { cssVar } from '../../../../webview/ui/dom';
import { paintThemed } from '../../../../webview/ui/themeWatch';
import { TrainingCurves } from '../../../../webview/ui/trainingCurves';
import { drawTile, imageTile } from '../../../../webview/views/canvas';
import { drawBars } from '../../../../webview/views/plots';
import { canvasTheme } from '../../../../webview/views/theme';
import { applyTheme } from '../../page/themes.mjs';
import type { ThemeProbe } from '../themeProbeApi';

const frames = (n: number): Promise<void> =>
  new Promise((resolve) => {
    const step = (left: number): void => {
      if (left <= 0) resolve();
      else requestAnimationFrame(() => step(left - 1));
    };
    step(n);
  });

/** `color` as a canvas stores it: drawn on one transparent pixel and read back. */
function stored(color: string): [number, number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = 1;
  canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

const draws = new WeakMap<HTMLCanvasElement, number>();
let counting = false;

const probe: ThemeProbe = {
  applyTheme(kind) {
    applyTheme(kind);
  },

  async applyThemeInSteps(kind) {
    const html = document.documentElement;
    const body = document.body;
    const state = (): string[] => [html.getAttribute('style') ?? '', body.className, body.dataset['vscodeThemeKind'] ?? ''];
    const from = state();
    applyTheme(kind);
    const to = state();
    // Back to where it was, then to the new theme one attribute at a time, a microtask apart.
    const set = (s: string[]): void => {
      html.setAttribute('style', s[0]!);
      body.className = s[1]!;
      body.dataset['vscodeThemeKind'] = s[2]!;
    };
    set(from);
    await Promise.resolve();
    html.setAttribute('style', to[0]!);
    await Promise.resolve();
    body.className = to[1]!;
    await Promise.resolve();
    set(to);
  },

  touchWithoutChange() {
    const html = document.documentElement;
    html.setAttribute('style', html.getAttribute('style') ?? '');
    document.body.classList.add('not-a-theme');
    document.body.classList.remove('not-a-theme');
    document.body.dataset['vscodeThemeKind'] = document.body.dataset['vscodeThemeKind'] ?? '';
  },

  async drawCurves() {
    document.querySelector('[data-testid="theme-curves"]')?.remove();
    const curves = new TrainingCurves();
    curves.element.dataset['testid'] = 'theme-curves';
    curves.element.style.width = '820px';
    document.body.prepend(curves.element);
    const [epochs, batches] = [3, 10];
    curves.reset(epochs, ['accuracy']);
    for (let e = 1; e <= epochs; e++) {
      for (let b = 1; b <= batches; b++) {
        const t = (e - 1 + b / batches) / epochs;
        curves.addBatch(e, b, batches, 2.3 - 1.9 * t, { accuracy: 0.9 * t });
      }
      const t = e / epochs;
      curves.addEpoch(e, 2.3 - 1.9 * t, { accuracy: 0.9 * t }, { loss: 2.4 - 1.8 * t, metrics: { accuracy: 0.85 * t } });
    }
    // The charts draw in an animation frame.
    await frames(2);
  },

  async drawPrediction() {
    document.querySelector('[data-testid="theme-prediction"]')?.remove();
    const n = 64;
    const target = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 5) * 2);
    const predicted = target.map((v, i) => v + Math.cos(i) * 0.3);
    const plot = renderPredictionPlot({ predicted, target, width: 1 });
    plot.dataset['testid'] = 'theme-prediction';
    document.body.prepend(plot);
    await frames(2);
  },

  frames,

  drawBarsThenImage() {
    for (const testid of ['bars-kept', 'bars-replaced']) {
      document.querySelector(`[data-testid="${testid}"]`)?.remove();
      const canvas = document.createElement('canvas');
      canvas.dataset['testid'] = testid;
      document.body.append(canvas);
      paintThemed(canvas, () => drawBars(canvas, [0.2, 0.5, 0.3], 160));
    }
    const replaced = document.querySelector<HTMLCanvasElement>('[data-testid="bars-replaced"]')!;
    drawTile(
      replaced,
      imageTile(
        Float32Array.from({ length: 16 }, (_, i) => i / 15),
        4,
        4,
        1,
      ),
      40,
      40,
    );
  },

  colours(selector) {
    const element = document.querySelector(selector)!;
    const theme = canvasTheme(element);
    // As the line chart reads them (webview/ui/lineChart.ts): on the card's background.
    const style = getComputedStyle(element);
    const card = cssVar(style, '--vscode-editorWidget-background', cssVar(style, '--vscode-editor-background', '#1e1e1e'));
    return {
      grid: theme.grid,
      muted: theme.muted,
      chartGrid: cssVar(style, '--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
      chartMuted: readable(cssVar(style, '--vscode-descriptionForeground', '#9d9d9d'), card, 4.5),
    };
  },

  countPixels(selector, colours) {
    const wanted = colours.map(stored);
    return Array.from(document.querySelectorAll<HTMLCanvasElement>(selector)).map((canvas) => {
      const counts = wanted.map(() => 0);
      if (canvas.width === 0 || canvas.height === 0) return counts;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      wanted.forEach(([r, g, b, a], k) => {
        // A translucent colour is stored premultiplied: its channels come back in coarser steps.
        const tol = Math.max(2, Math.ceil(255 / Math.max(1, a)));
        for (let i = 0; i < data.length; i += 4) {
          if (
            Math.abs(data[i + 3]! - a) <= 2 &&
            Math.abs(data[i]! - r) <= tol &&
            Math.abs(data[i + 1]! - g) <= tol &&
            Math.abs(data[i + 2]! - b) <= tol
          )
            counts[k]!++;
        }
      });
      return counts;
    });
  },

  startCountingDraws() {
    if (!counting) {
      counting = true;
      const clearRect = CanvasRenderingContext2D.prototype.clearRect;
      CanvasRenderingContext2D.prototype.clearRect = function (this: CanvasRenderingContext2D, ...args) {
        draws.set(this.canvas, (draws.get(this.canvas) ?? 0) + 1);
        return clearRect.apply(this, args);
      };
    }
    for (const canvas of Array.from(document.querySelectorAll('canvas'))) draws.set(canvas, 0);
  },

  drawCounts(selector) {
    return Array.from(document.querySelectorAll<HTMLCanvasElement>(selector)).map((c) => draws.get(c) ?? 0);
  },
};

(window as unknown as { themeProbe: ThemeProbe }).themeProbe = probe;
