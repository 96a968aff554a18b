import { wrapText } from '../text/wrap-text.ts';
import { RUN_REFERENCE_FORMS } from '../store/store.ts';

/** What every command that takes a run says it accepts, wrapped as usage texts are. */
export const RUN_REFERENCE_HELP = wrapText(`A run is named by ${RUN_REFERENCE_FORMS}.`, 96, '').join('\n');
