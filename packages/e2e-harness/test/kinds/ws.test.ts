import { describeKindGallery } from '../fixtures/kind-gallery.js';

// close() starts the closing handshake: the held reply never comes and the next send is refused.
// A WebSocket has no idle timeout: an evicted socket nobody closes stays open.
describeKindGallery({
  kind: 'ws',
  verb: 'close',
  failures: {
    'stream-in-flight': { kind: 'stream-terminated', chain: /^WebSocketClosedError: the WebSocket closed \(code 1005\) before the reply$/ },
    'holder-request-after-eviction': { kind: 'client-closed', chain: /^Error: WebSocket is not open: readyState [23] \((CLOSING|CLOSED)\)$/ },
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 1,
});
