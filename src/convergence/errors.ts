import { TaskforceError } from '../errors/taskforce-error.js';

/**
 * A convergence detector was used wrongly: a round with no outputs (`CONVERGENCE_EMPTY_ROUND`), a
 * round observed after the detector stopped (`CONVERGENCE_ALREADY_STOPPED`), or a similarity function
 * that returned something outside [0, 1] (`CONVERGENCE_BAD_SIMILARITY`).
 */
export class ConvergenceError extends TaskforceError {
  constructor(
    code: 'CONVERGENCE_EMPTY_ROUND' | 'CONVERGENCE_ALREADY_STOPPED' | 'CONVERGENCE_BAD_SIMILARITY',
    message: string,
  ) {
    super(code, message);
  }
}
