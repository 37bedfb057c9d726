import { hostname } from 'node:os';
import type { Lease } from './run-store.js';

/**
 * Whether `owner` may take a run whose lease is `current`: it is free, expired, already `owner`'s, or
 * held by a process on this host that no longer exists (a crash that never released it). Shared by
 * every RunStore so that they all decide alike.
 */
export function leaseTakable(current: Lease | undefined, owner: string, now: number): boolean {
  if (!current) return true;
  if (current.owner === owner || current.expiresAt <= now) return true;
  return current.host === hostname() && !processAlive(current.pid);
}

/** `kill(pid, 0)` tests for existence without signalling; EPERM means alive but someone else's. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
