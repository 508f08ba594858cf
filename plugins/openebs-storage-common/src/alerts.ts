/**
 * A firing alert that concerns an entity's storage, read from the cluster's
 * Alertmanager (`openebsStorage.alertmanagers`).
 *
 * @public
 */
export interface StorageAlert {
  /** `alertname`. */
  name: string;
  severity?: string;
  /** One line an owner reads first: the alert's summary, shortened. */
  summary: string;
  /** The full text (summary and description) when the line leaves some out. */
  detail?: string;
  /** When it started firing (Alertmanager's `startsAt`). */
  since: string;
  /** What of the entity it is about. */
  concerns: AlertConcern;
}

/**
 * What an alert is about: one of the entity's volumes, a storage location or
 * schedule its backups use, the entity itself (the portal's own gauges), or
 * Velero as a whole on that cluster.
 *
 * @public
 */
export interface AlertConcern {
  kind: 'volume' | 'storage-location' | 'schedule' | 'entity' | 'velero';
  name: string;
  namespace?: string;
}
