/**
 * What a training panel shows after the window reloads: training does not survive a reload,
 * so instead of a blank page the panel says so and offers to train again (a command link).
 * Pure: no `vscode`; no scripts (the CSP allows one nonce'd style block and nothing else).
 */

export interface RestoredPanelOptions {
  /** A fresh random nonce (hex/base64, 16+ characters). */
  nonce: string;
  modelName?: string;
  /** The model file, relative to the workspace. */
  file?: string;
  /** `command:modelLens.trainModel?…` to train again, when the model is known. */
  trainCommandUri?: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The message, also used as the page's text (tests and screen readers find it). */
export const RESTORED_MESSAGE = 'Training stopped when the window reloaded — run Train again.';

export function restoredPanelHtml(options: RestoredPanelOptions): string {
  const nonce = escapeHtml(options.nonce);
  const what = options.modelName
    ? `<p class="model"><strong>${escapeHtml(options.modelName)}</strong>${options.file ? ` in <code>${escapeHtml(options.file)}</code>` : ''}</p>`
    : '';
  const action = options.trainCommandUri
    ? `<p><a class="button" href="${escapeHtml(options.trainCommandUri)}">▶ Train again</a></p>`
    : '<p>Use the <strong>▶ Train</strong> lens above the model, or <em>Model Lens: Train Model</em>.</p>';
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>Model Lens: training stopped</title>
    <style nonce="${nonce}">
      body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 2em; }
      .stopped { max-width: 40em; }
      .button { display: inline-block; padding: 4px 12px; border-radius: 2px; text-decoration: none;
        color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
      .button:hover { background: var(--vscode-button-hoverBackground); }
      code { font-family: var(--vscode-editor-font-family); }
    </style>
  </head>
  <body>
    <main class="stopped" data-state="restored">
      <h2>${escapeHtml(RESTORED_MESSAGE)}</h2>
      ${what}
      ${action}
    </main>
  </body>
</html>
`;
}
