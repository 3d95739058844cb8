/**
 * Theme colours for canvas drawing, read from VS Code's `--vscode-*` CSS variables (canvases
 * cannot use CSS variables directly). Re-read on every draw: themes change at run time, and a
 * drawing registered with `paintWithTheme` (or ui/themeWatch's `paintThemed`) is drawn again then.
 */
import { readable } from '../ui/contrast';
import { cssVar } from '../ui/dom';
import { onThemeRepaint } from '../ui/themeWatch';

export interface CanvasTheme {
  foreground: string;
  muted: string;
  background: string;
  /** The background of the cards most canvases sit on (the widget background). */
  card: string;
  /** Frames and axes: the widget border. */
  grid: string;
  /** Gridlines inside a plot: VS Code's chart line colour, lighter than the curves in every theme (high contrast too). */
  gridLine: string;
  accent: string;
  accent2: string;
  /** A third series colour, bright on dark themes and deep on light ones (activation histograms). */
  accent3: string;
  font: string;
  monoFont: string;
}

/**
 * The theme's colours for `element`'s canvases. Marks and text are adjusted (only as far as
 * needed) to WCAG AA on both backgrounds a canvas sits on, the editor's and a card's (the
 * widget background): 3:1 for lines, dots and bars, 4.5:1 for text.
 */
export function canvasTheme(element: Element): CanvasTheme {
  const s = getComputedStyle(element);
  const size = cssVar(s, '--vscode-font-size', '13px');
  const family = cssVar(s, '--vscode-font-family', 'system-ui, sans-serif');
  const mono = cssVar(s, '--vscode-editor-font-family', 'monospace');
  const background = cssVar(s, '--vscode-editor-background', '#1e1e1e');
  const card = cssVar(s, '--vscode-editorWidget-background', background);
  const ink = (color: string, ratio: number): string => readable(readable(color, card, ratio), background, ratio);
  return {
    foreground: ink(cssVar(s, '--vscode-foreground', '#cccccc'), 4.5),
    muted: ink(cssVar(s, '--vscode-descriptionForeground', '#9d9d9d'), 4.5),
    background,
    card,
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', '#454545')),
    gridLine: cssVar(s, '--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
    accent: ink(cssVar(s, '--vscode-charts-blue', '#3794ff'), 3),
    accent2: ink(cssVar(s, '--vscode-charts-orange', '#d18616'), 3),
    accent3: ink(cssVar(s, '--vscode-charts-green', '#89d185'), 3),
    font: `${smaller(size)} ${family}`,
    monoFont: `${smaller(size)} ${mono}`,
  };
}

/**
 * Draws `target` with `theme` now (a caller drawing many reads the theme once: each read is a
 * getComputedStyle) and, after each theme change, with the new theme read from `target`.
 */
export function paintWithTheme(target: Element, theme: CanvasTheme, draw: (theme: CanvasTheme) => void): void {
  draw(theme);
  onThemeRepaint(target, () => draw(canvasTheme(target)));
}

/** One pixel smaller than the UI font, for axis labels. */
function smaller(size: string): string {
  const px = parseFloat(size);
  return Number.isFinite(px) ? `${Math.max(9, px - 2)}px` : '11px';
}
