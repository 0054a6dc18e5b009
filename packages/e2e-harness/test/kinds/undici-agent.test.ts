import { describeKindGallery } from '../fixtures/kind-gallery.js';

// undici's close() is graceful: the stream in flight completes, the next request is refused.
describeKindGallery({
  kind: 'undici-agent',
  verb: 'close',
  failures: {
    'stream-in-flight': undefined,
    'holder-request-after-eviction': { kind: 'client-destroyed', chain: /^ClientDestroyedError: The client is destroyed$/ },
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 0,
});
