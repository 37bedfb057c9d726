import type { ProviderModel } from '../../src/model/types.js';

/** A provider that fails any call: wraps it to prove a replay never reaches the provider. */
export const offlineProvider: ProviderModel = {
  provider: 'scripted',
  modelId: 'scripted',
  structuredMode: 'prompt',
  doGenerate: () => Promise.reject(new Error('replay called the provider')),
  doStream: () => {
    throw new Error('replay called the provider');
  },
};
