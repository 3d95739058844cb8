/**
 * Theme colours for canvas drawing, read from VS Code's `--vscode-*` CSS variables (canvases
 * cannot use CSS variables directly). Re-read on every draw: themes change at run time.
 */
import { cssVar } from '../ui/dom';

export interface CanvasTheme {
  foreground: string;
  muted: string;
  background: string;
  grid: string;
  accent: string;
  accent2: string;
  /** A third series colour, bright on dark themes and deep on light ones (activation histograms). */
  accent3: string;
  font: string;
  monoFont: string;
}

export function canvasTheme(element: Element): CanvasTheme {
  const s = getComputedStyle(element);
  const size = cssVar(s, '--vscode-font-size', '13px');
  const family = cssVar(s, '--vscode-font-family', 'system-ui, sans-serif');
  const mono = cssVar(s, '--vscode-editor-font-family', 'monospace');
  return {
    foreground: cssVar(s, '--vscode-foreground', '#cccccc'),
    muted: cssVar(s, '--vscode-descriptionForeground', '#9d9d9d'),
    background: cssVar(s, '--vscode-editor-background', '#1e1e1e'),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', '#454545')),
    accent: cssVar(s, '--vscode-charts-blue', '#3794ff'),
    accent2: cssVar(s, '--vscode-charts-orange', '#d18616'),
    accent3: cssVar(s, '--vscode-charts-green', '#89d185'),
    font: `${smaller(size)} ${family}`,
    monoFont: `${smaller(size)} ${mono}`,
  };
}

/** One pixel smaller than the UI font, for axis labels. */
function smaller(size: string): string {
  const px = parseFloat(size);
  return Number.isFinite(px) ? `${Math.max(9, px - 2)}px` : '11px';
}
