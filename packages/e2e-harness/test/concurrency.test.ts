import { describe, expect, it } from 'vitest';
import { mapConcurrently } from '../src/util/concurrency.js';

/** A task that settles when the test says, so the interleaving is the test's, not the clock's. */
function gate<T>() {
  let open!: (value: T | Promise<T>) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  return { opened, open };
}

describe('mapConcurrently', () => {
  it('resolves in the items order however the tasks finish', async () => {
    const gates = [gate<string>(), gate<string>(), gate<string>()];
    const mapped = mapConcurrently([0, 1, 2], 3, (index) => gates[index]?.opened ?? Promise.reject(new Error('no gate')));
    gates[2]?.open('c');
    gates[0]?.open('a');
    gates[1]?.open('b');
    await expect(mapped).resolves.toEqual(['a', 'b', 'c']);
  });

  it('rejects with every rejection of the tasks that ran, in an AggregateError: none is dropped', async () => {
    const first = new TypeError('first adapter error');
    const second = new RangeError('second adapter error');
    const gates = [gate<number>(), gate<number>()];
    const started: number[] = [];
    const mapped = mapConcurrently([0, 1, 2], 2, (index) => {
      started.push(index);
      return gates[index]?.opened ?? Promise.resolve(index);
    });
    gates[0]?.open(Promise.reject(first));
    gates[1]?.open(Promise.reject(second));
    const error: unknown = await mapped.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual([first, second]);
    expect((error as AggregateError).message).toBe('2 tasks failed: TypeError: first adapter error; RangeError: second adapter error');
    // No task starts after one rejected.
    expect(started).toEqual([0, 1]);
  });

  it('the same error from every running task is thrown once, as itself', async () => {
    const mapped = mapConcurrently([0, 1], 2, () => Promise.reject(new TypeError('lease must return the very object cached')));
    await expect(mapped).rejects.toThrow(new TypeError('lease must return the very object cached'));
  });

  it('twin: a single rejection is rethrown as itself, its type kept', async () => {
    const only = new TypeError('the one adapter error');
    await expect(mapConcurrently([0, 1], 1, (index) => (index === 0 ? Promise.reject(only) : Promise.resolve(index)))).rejects.toBe(only);
  });

  it('items not ready yet let the ready ones behind them take the places first', async () => {
    const firstReady = gate<void>();
    const started: string[] = [];
    const mapped = mapConcurrently(
      ['slow backend', 'fast backend'],
      1,
      (item) => (started.push(item), Promise.resolve(item.toUpperCase())),
      (item) => (item === 'slow backend' ? firstReady.opened : Promise.resolve()),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['fast backend']);
    firstReady.open();
    await expect(mapped).resolves.toEqual(['SLOW BACKEND', 'FAST BACKEND']);
    expect(started).toEqual(['fast backend', 'slow backend']);
  });

  it('a ready wait that rejects stops later tasks, and its error counts once however many items met it', async () => {
    const startFailure = new Error('the backend did not start');
    const firstStarted = gate<void>();
    const firstDone = gate<number>();
    const started: number[] = [];
    const mapped = mapConcurrently(
      [0, 1, 2, 3],
      1,
      (index) => {
        started.push(index);
        firstStarted.open();
        return index === 0 ? firstDone.opened : Promise.resolve(index);
      },
      (index) => (index === 1 || index === 2 ? firstStarted.opened.then(() => Promise.reject(startFailure)) : Promise.resolve()),
    );
    await new Promise((resolve) => setImmediate(resolve));
    firstDone.open(0);
    await expect(mapped).rejects.toBe(startFailure);
    // Item 3 was ready and waiting for the place item 0 held; it never started.
    expect(started).toEqual([0]);
  });

  it('two errors each met by several items: an AggregateError of the two', async () => {
    const failures = [new Error('kind a did not start'), new Error('kind b did not start')];
    const error: unknown = await mapConcurrently(
      [0, 1, 2, 3],
      2,
      (index) => Promise.resolve(index),
      (index) => Promise.reject(failures[index % 2]),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toEqual(failures);
  });
});
