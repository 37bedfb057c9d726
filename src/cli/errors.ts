import { TaskforceError } from '../errors/taskforce-error.js';

/**
 * The command line was wrong: an unknown command or flag, a missing or malformed argument. The
 * message says what was wrong; `usage` is the help of the command it belongs to, printed after it.
 */
export class UsageError extends TaskforceError {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super('USAGE_ERROR', message);
    this.usage = usage;
  }
}
