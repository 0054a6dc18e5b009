import { describeKindGallery } from '../fixtures/kind-gallery.js';

// As for openai: the handle's close() closes its undici Agent, and the SDK wraps undici's error.
describeKindGallery({
  kind: 'anthropic',
  verb: 'close',
  failures: {
    'stream-in-flight': undefined,
    'holder-request-after-eviction': {
      kind: 'client-destroyed',
      chain: /^APIConnectionError: Connection error\. ← TypeError: fetch failed ← ClientDestroyedError: The client is destroyed$/,
    },
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 0,
});
