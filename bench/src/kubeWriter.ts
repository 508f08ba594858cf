import https from 'https';
import {
  LabAdmin,
  LabCluster,
} from '../../plugins/openebs-storage-backend/src/__testUtils__/labCluster';

/*
 * Bulk writes to the lab apiserver with the admin token: the tests' LabAdmin
 * (create, 409 = already there, then the status), over a keep-alive
 * connection pool and with retries. Without the pool every call would make a
 * new TLS handshake: fine for a test's dozen fixtures, minutes of handshakes
 * for the ~80,000 requests of this dataset.
 */
export class KubeWriter extends LabAdmin {
  private readonly agent: https.Agent;

  constructor(lab: LabCluster, maxSockets: number) {
    const agent = new https.Agent({ keepAlive: true, maxSockets });
    super(lab, { agent, retries: 5 });
    this.agent = agent;
  }

  close(): void {
    this.agent.destroy();
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
