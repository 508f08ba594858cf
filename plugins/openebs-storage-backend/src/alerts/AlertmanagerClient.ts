/** An alert as Alertmanager's API v2 lists it (the fields we read). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status?: { state?: string };
}

/** Alertmanager is asked at most this often; the tab polls more often. */
const CACHE_MS = 15_000;
/** A slow Alertmanager must not hold up the storage answer. */
const TIMEOUT_MS = 3_000;

/**
 * Reads the active, unsilenced, uninhibited alerts of one Alertmanager
 * (`GET /api/v2/alerts`), keeping the answer briefly so that every open tab
 * does not become a request to it.
 */
export class AlertmanagerClient {
  private cached?: { at: number; alerts: Promise<AlertmanagerAlert[]> };

  constructor(
    readonly url: string,
    private readonly now: () => number = Date.now,
  ) {}

  firing(): Promise<AlertmanagerAlert[]> {
    const now = this.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      const alerts = this.fetchFiring();
      this.cached = { at: now, alerts };
      // A failure is not kept: the next request asks again.
      alerts.catch(() => {
        if (this.cached?.alerts === alerts) this.cached = undefined;
      });
    }
    return this.cached.alerts;
  }

  private async fetchFiring(): Promise<AlertmanagerAlert[]> {
    const url = new URL('api/v2/alerts', this.url.replace(/\/?$/, '/'));
    url.searchParams.set('active', 'true');
    url.searchParams.set('silenced', 'false');
    url.searchParams.set('inhibited', 'false');
    const response = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      throw new Error(`${response.status} ${response.statusText}`);
    }
    return (await response.json()) as AlertmanagerAlert[];
  }
}
