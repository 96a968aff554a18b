/*
 * The part of papaparse the browser code uses (src/export/csv.ts calls `unparse`), typed
 * without @types/papaparse, whose `/// <reference types="node" />` (for its Node streams)
 * would bring Node's types into the browser typecheck (tsconfig.browser.json maps to this).
 */
declare const Papa: {
  unparse(data: unknown[][], config?: { escapeFormulae?: boolean | RegExp; newline?: string; header?: boolean }): string;
};
export default Papa;
