/** The user-error classes live with the pipeline, which throws them; the commands throw them too. */
export { UsageError, UserError } from '../pipeline/errors.js';
