/** Types for buildPage.mjs (the views test page build). */
export declare const outDir: string;
export declare function buildPage(): Promise<string>;
