/** What every command that takes a run says it accepts (see locateRun in src/store/store.ts). */
export const RUN_REFERENCE_HELP =
  'A run is named by its id, a unique prefix or suffix of it (6+ characters), its name when\n' +
  'unique, any of these as <experiment>/<run>, or its folder (experiments/<e>/runs/<id>).';
