import { describeKindGallery } from '../fixtures/kind-gallery.js';

// Agent#destroy() cuts the response in flight but leaves the agent usable: the holder's next
// request opens a new socket and succeeds, so only the tripwire sees that close.
describeKindGallery({
  kind: 'node-http',
  verb: 'destroy',
  failures: {
    'stream-in-flight': { kind: 'stream-terminated', chain: /^Error: aborted$/ },
    'holder-request-after-eviction': undefined,
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 0,
});
