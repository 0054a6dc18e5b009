import { describeKindGallery } from '../fixtures/kind-gallery.js';

// Client.close() aborts the held tool call and disconnects; an evicted client nobody closes keeps
// its standalone SSE stream (GET) open, which the leak probe counts.
describeKindGallery({
  kind: 'mcp',
  verb: 'close',
  failures: {
    'stream-in-flight': { kind: 'stream-terminated', chain: /^McpError: MCP error -32000: Connection closed$/ },
    'holder-request-after-eviction': { kind: 'client-closed', chain: /^Error: Not connected$/ },
    'reinsert-after-eviction': undefined,
  },
  leakedPerEviction: 1,
});
