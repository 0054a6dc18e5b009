import { describeKindGallery, SDK_HANDLE_FAILURES } from '../fixtures/kind-gallery.js';

describeKindGallery({ kind: 'openai', verb: 'close', failures: SDK_HANDLE_FAILURES, leakedPerEviction: 0 });
