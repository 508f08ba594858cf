import { LabAdmin, LabCluster } from '@openebs-portal/lab-testkit';

/*
 * Bulk writes to the lab apiserver with the admin token: the tests' LabAdmin
 * (apply: create, 409 = already there, then the status) over at most
 * `maxSockets` keep-alive connections, with retries. Without keep-alive every
 * call would make a new TLS handshake: fine for a test's dozen fixtures,
 * minutes of handshakes for the ~80,000 requests of this dataset.
 */
export class KubeWriter extends LabAdmin {
  constructor(lab: LabCluster, maxSockets: number) {
    super(lab, { maxSockets, retries: 5 });
  }
}

/** Runs fn over items with at most `concurrency` in flight, in order of start. */
export async function forEachBounded<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
}
