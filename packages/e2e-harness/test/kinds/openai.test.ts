import { describeKindGallery } from '../fixtures/kind-gallery.js';

// The handle's close() closes its undici Agent: graceful, so only the next request fails.
describeKindGallery({
  kind: 'openai',
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
