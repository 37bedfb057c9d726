import { TaskforceError } from '../errors/taskforce-error.js';

/** An eval suite file could not be read, or a field in it is wrong (names the file and the field). */
export class EvalSuiteError extends TaskforceError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('EVAL_SUITE_INVALID', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** A scripted-replies file could not be loaded or has the wrong shape (names the file). */
export class RepliesFileError extends TaskforceError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('REPLIES_FILE_INVALID', `${file}: ${message}`, options);
    this.file = file;
  }
}
