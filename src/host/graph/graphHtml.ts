/**
 * The Model Graph page's HTML: the training panel's page (its Content Security Policy allows a
 * worker from a blob and images from blobs, which the layout and the PNG export need) with the
 * graph's root element. Pure (no `vscode`).
 */
import { panelHtml } from '../training/panelHtml';

export interface GraphHtmlOptions {
  cspSource: string;
  nonce: string;
  /** Webview URIs of dist/webview/graph.js and graph.css. */
  scriptUri: string;
  styleUri: string;
}

export function graphHtml(options: GraphHtmlOptions): string {
  return panelHtml({ ...options, title: 'Model Graph', root: '<main id="model-graph" aria-label="Model graph"></main>' });
}
