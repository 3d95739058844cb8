/**
 * The API the theme-repaint page script exposes as `window.themeProbe` (see
 * page/themeProbe.mts), beside the views harness: the panel's training curves and prediction plot
 * on the views test page, theme switches as VS Code makes them, and pixel counts. Types only.
 */

export type ThemeKind = 'dark' | 'light' | 'hc-dark' | 'hc-light';

/** The colours a canvas's marks are drawn in under the current theme, as CSS colours. */
export interface MarkColours {
  /** Gridlines and frames of the views and the prediction plot (CanvasTheme.grid). */
  grid: string;
  /** Axis labels of the views and the prediction plot (CanvasTheme.muted). */
  muted: string;
  /** The line chart's gridlines (`--vscode-charts-lines`). */
  chartGrid: string;
  /** The line chart's axis labels (`--vscode-descriptionForeground`, made readable on the card). */
  chartMuted: string;
}

export interface ThemeProbe {
  /** Applies a theme as VS Code does: variables on <html>, the theme class and kind on <body>. */
  applyTheme(kind: ThemeKind): void;
  /**
   * The same theme change, made one attribute at a time, a microtask apart (the observer is
   * called after each): variables, then the body's class, then its theme kind.
   */
  applyThemeInSteps(kind: ThemeKind): Promise<void>;
  /** Mutations that leave the theme as it is: the same style attribute again, an unrelated body class. */
  touchWithoutChange(): void;
  /** Draws the training curves (a 3-epoch run with accuracy) at the top of the page; waits until drawn. */
  drawCurves(): Promise<void>;
  /** Draws the prediction plot of a small regression; waits until drawn. */
  drawPrediction(): Promise<void>;
  /** Waits `n` animation frames. */
  frames(n: number): Promise<void>;
  /**
   * Two canvases with bars in theme colours (`bars-kept`, `bars-replaced`), the second then drawn
   * over with an image (as a view's canvas that shows another kind of layer output).
   */
  drawBarsThenImage(): void;
  /** The colours marks are drawn in now, read from the first element matching `selector`. */
  colours(selector: string): MarkColours;
  /**
   * For each canvas matching `selector`, how many of its pixels are each of `colours` as a canvas
   * stores it (within a rounding step per channel).
   */
  countPixels(selector: string, colours: string[]): number[][];
  /** Starts counting the drawings that begin (clearRect) on each canvas in the document. */
  startCountingDraws(): void;
  /** Drawings begun since `startCountingDraws`, per canvas matching `selector`. */
  drawCounts(selector: string): number[];
}
