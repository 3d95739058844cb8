/** Text widths for laying out the graph, measured on a canvas in the page's own fonts. */
import type { Measure } from './elkGraph';

/** Text widths from a canvas, in the fonts graph.css gives the SVG text. */
export function canvasMeasure(probe: Element): Measure {
  const ctx = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(probe);
  const family = style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  const mono = style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const cache = new Map<string, number>();
  const width = (font: string, s: string): number => {
    const key = `${font}\u0000${s}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx) ctx.font = font;
      w = ctx ? ctx.measureText(s).width : s.length * 7;
      cache.set(key, w);
    }
    return w;
  };
  return {
    text: (s, bold) => width(`${bold ? '600 ' : ''}12px ${family}`, s),
    label: (s) => width(`10px ${mono}`, s),
  };
}
