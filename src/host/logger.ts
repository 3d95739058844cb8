/**
 * Logging to the "Model Lens" output channel. No `vscode` import: any `{ appendLine }` sink works
 * (an OutputChannel in the extension, an array in tests). Errors are logged, never shown.
 */
export interface LogSink {
  appendLine(value: string): void;
}

export class Logger {
  constructor(private readonly sink: LogSink) {}

  info(message: string): void {
    this.write(`[info] ${message}`);
  }

  /** Logs `error` (with its stack) under `context`, e.g. "analysing /a/model.ts". */
  error(context: string, error: unknown): void {
    const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    this.write(`[error] ${context}: ${detail}`);
  }

  /** Runs `fn`; if it throws, logs and returns `fallback` instead. */
  guard<T>(context: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      this.error(context, error);
      return fallback;
    }
  }

  private write(line: string): void {
    try {
      this.sink.appendLine(`${new Date().toISOString()} ${line}`);
    } catch {
      // Nowhere left to report to: stay silent rather than surface an error to the user.
    }
  }
}
