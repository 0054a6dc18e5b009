import { APIConnectionError } from 'openai';
import { errors } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifySdkError } from '../src/kinds/http/sdk-handle.js';
import { classifyUndiciError } from '../src/kinds/http/undici.js';
import { classifyError } from '../src/report/classify-error.js';

describe('classifyError looks through the cause chain for the most specific error', () => {
  it('undici UND_ERR_CLOSED under an openai connection error', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: new errors.ClientClosedError() });
    const observed = classifyError(new APIConnectionError({ cause: fetchFailed }), classifySdkError);
    expect(observed.kind).toBe('client-closed');
    expect(observed.chain).toEqual([
      'APIConnectionError: Connection error.',
      'TypeError: fetch failed',
      'ClientClosedError: The client is closed',
    ]);
  });

  it('undici UND_ERR_DESTROYED', () => {
    expect(classifyError(new errors.ClientDestroyedError(), classifyUndiciError).kind).toBe('client-destroyed');
  });

  it('a body cut off by destroy()', () => {
    const terminated = new TypeError('terminated', { cause: new errors.SocketError('other side closed') });
    expect(classifyError(terminated, classifyUndiciError).kind).toBe('stream-terminated');
  });

  it('an openai connection error with nothing known below it', () => {
    expect(classifyError(new APIConnectionError({ cause: new Error('ECONNREFUSED') }), classifySdkError).kind).toBe('connection-error');
  });

  it("another kind's classifier does not know undici's errors (each kind names its own)", () => {
    expect(classifyError(new errors.ClientDestroyedError(), () => undefined).kind).toBe('other');
  });

  it('anything else, including values that are not errors', () => {
    expect(classifyError(new Error('the stream ended after 1 of 4 chunks'), classifySdkError)).toEqual({
      kind: 'other',
      chain: ['Error: the stream ended after 1 of 4 chunks'],
    });
    expect(classifyError('boom')).toEqual({ kind: 'other', chain: ['boom'] });
  });
});
