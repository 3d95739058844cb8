export const outDir: string;
export function buildPage(): Promise<string>;
