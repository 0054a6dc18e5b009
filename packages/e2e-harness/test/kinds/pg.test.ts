import { describeKindGallery } from '../fixtures/kind-gallery.js';

// Pool#end() is graceful: the query in flight completes, the next one is refused.
describeKindGallery({
  kind: 'pg',
  verb: 'end',
  failures: {
    'stream-in-flight': undefined,
    'holder-request-after-eviction': { kind: 'client-closed', chain: /^Error: Cannot use a pool after calling end on the pool$/ },
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 0,
});
