/**
 * The training panel's HTML: a strict Content Security Policy, the stylesheet, and one module
 * script allowed by nonce. Pure (no `vscode`): the host passes `webview.cspSource` and the
 * webview URIs of dist/webview/panel.js and panel.css.
 *
 * The policy allows exactly what the panel does: the panel script and the bundle of the user's
 * model (`import()` from `cspSource`); fetching and compiling the tfjs WASM binaries
 * (`connect-src`, `'wasm-unsafe-eval'`); canvases exported as data:/blob: images; the web
 * components' and the views' inline styles (`'unsafe-inline'` styles only: scripts never);
 * the codicon font.
 */

export interface PanelHtmlOptions {
  /** `webview.cspSource`, e.g. `https://*.vscode-cdn.net`. */
  cspSource: string;
  /** A fresh random nonce per render (base64 or hex, at least 128 bits). */
  nonce: string;
  /** Webview URI of dist/webview/panel.js. */
  scriptUri: string;
  /** Webview URI of dist/webview/panel.css. */
  styleUri: string;
  /** Webview URI of dist/webview/codicon.css; the panel's buttons show icons when given. */
  codiconsUri?: string;
  /** Tab title (the model's name). */
  title?: string;
  /** The page's root element (the training panel's by default; the Model Graph has its own). */
  root?: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The Content-Security-Policy meta value for the panel. */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    // blob: the training worker and, inside it, the model bundle and WASM binaries the page
    // fetched and handed over (only this page's scripts can make blob: URLs).
    `script-src 'nonce-${nonce}' ${cspSource} 'wasm-unsafe-eval' blob:`,
    `worker-src blob:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource} blob:`,
  ].join('; ');
}

export function panelHtml(options: PanelHtmlOptions): string {
  const { cspSource, nonce, scriptUri, styleUri } = options;
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('panelHtml: the nonce must be at least 16 base64/hex characters');
  const title = escapeHtml(options.title ?? 'Model Lens: Train');
  const codicons =
    options.codiconsUri !== undefined
      ? `\n    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(options.codiconsUri)}">`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelCsp(cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${title}</title>${codicons}
    <link rel="stylesheet" href="${escapeHtml(styleUri)}">
  </head>
  <body>
    ${options.root ?? '<main id="model-lens-panel" class="lp-root" aria-busy="true"></main>'}
    <script type="module" nonce="${escapeHtml(nonce)}" src="${escapeHtml(scriptUri)}"></script>
  </body>
</html>
`;
}
