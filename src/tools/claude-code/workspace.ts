import { TaskforceError } from '../../errors/taskforce-error.js';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * A tool call that cannot be done as asked: a path outside the workspace, a missing file, an
 * `old_string` that is not unique. The model reads its message as the tool's error result.
 */
export class WorkspaceToolError extends TaskforceError {
  override readonly name = 'WorkspaceToolError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('WORKSPACE_REFUSED', message, options);
  }
}

/** The workspace the Claude Code tools are confined to: its root, resolved once (symlinks followed). */
export interface Workspace {
  /** The real absolute path of the root (fails with `WorkspaceToolError` when the root does not exist). */
  root(): Promise<string>;
  /**
   * Resolves a path the model gave (absolute, or relative to the root) and checks that it and its
   * real location (symlinks followed, for the part that exists) stay inside the root.
   */
  resolve(file: string): Promise<string>;
  /** The path relative to the root, with `/` separators, as results show it. */
  relative(root: string, file: string): string;
}

/** A workspace rooted at `root`; the root's real path is looked up on first use and kept. */
export function workspaceAt(root: string): Workspace {
  let real: Promise<string> | undefined;
  const rootPath = () =>
    (real ??= realpath(path.resolve(root)).catch((error: unknown) => {
      real = undefined;
      throw new WorkspaceToolError(`the workspace root ${path.resolve(root)} cannot be used: ${(error as Error).message}`);
    }));
  return {
    root: rootPath,
    async resolve(file) {
      const real = await rootPath();
      const inside = (p: string) => p === real || p.startsWith(real.endsWith(path.sep) ? real : real + path.sep);
      if (typeof file !== 'string' || file === '') throw new WorkspaceToolError('a path is required');
      const wanted = path.resolve(real, file);
      if (!inside(wanted)) throw outside(file, real);
      // The deepest part that exists decides where the path really leads (a symlink may point out).
      let existing = wanted;
      let rest = '';
      for (;;) {
        try {
          const resolved = await realpath(existing);
          if (!inside(resolved)) throw outside(file, real);
          return rest ? path.join(resolved, rest) : resolved;
        } catch (error) {
          if (error instanceof WorkspaceToolError) throw error;
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          // A dangling symlink: writing through it would create its target, wherever that is.
          if (await lstat(existing).then(() => true, () => false))
            throw new WorkspaceToolError(`path "${file}" goes through a symlink whose target does not exist; it cannot be used`);
          const parent = path.dirname(existing);
          if (parent === existing) throw outside(file, real);
          rest = rest ? path.join(path.basename(existing), rest) : path.basename(existing);
          existing = parent;
        }
      }
    },
    relative(root, file) {
      return path.relative(root, file).split(path.sep).join('/') || '.';
    },
  };
}

function outside(file: string, root: string): WorkspaceToolError {
  return new WorkspaceToolError(`path "${file}" is outside the workspace ${root}; only files inside it can be used`);
}
