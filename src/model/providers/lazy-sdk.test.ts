import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors/taskforce-error.js';
import { importSdk } from './lazy-sdk.js';

describe('importSdk', () => {
  it('turns a provider SDK that is not installed into a ConfigError that names the package to install', async () => {
    const missing = Object.assign(new Error("Cannot find package 'openai' imported from /app/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await importSdk('openai', () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('this model needs the npm package "openai", which is not installed: npm install openai');
    expect((error as Error).cause).toBe(missing);
  });

  it('loads an installed SDK on first use and passes other failures through', async () => {
    await expect(importSdk('openai', async () => ({ default: 'sdk' }))).resolves.toEqual({ default: 'sdk' });
    const broken = new TypeError('broken');
    await expect(importSdk('openai', () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
