import { UsageError } from '../errors/index.ts';
import { describeValue } from './text.ts';

/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight: that many loops pull
 * from one shared iterator, so an async iterable is read only as fast as it is consumed. The
 * first worker error stops further pulls and is rethrown once the calls in flight settle.
 */
export async function runPool<T>(
  items: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UsageError(`invalid concurrency ${describeValue(concurrency)}: expected a whole number of at least 1`);
  }
  const iterator: Iterator<T> | AsyncIterator<T> =
    Symbol.asyncIterator in Object(items) ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let next = 0;
  let failure: { error: unknown } | null = null;
  let done = false;

  const loop = async () => {
    while (!done && failure === null) {
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (step.done) {
        done = true;
        return;
      }
      const index = next++;
      try {
        await worker(step.value, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  if (failure !== null) {
    await iterator.return?.();
    throw (failure as { error: unknown }).error;
  }
}
