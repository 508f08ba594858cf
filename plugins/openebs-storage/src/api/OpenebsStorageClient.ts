import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  DrillEnrolmentRequest,
  DrillEvidenceExport,
  EntityDrills,
  EntityStorage,
  MigrationRunbook,
  PostgresMigrationPlan,
  RestoreDrill,
  RestorePreview,
  RestoreRequest,
  RestoreRequestInput,
  RestoreRequestList,
  VolumeMigration,
  VolumeMigrationInput,
  VolumeMigrationList,
  entityApiPath,
  postgresMigrationPlanPath,
} from '@openebs-portal/plugin-openebs-storage-common';
import { OpenebsStorageApi } from './OpenebsStorageApi';

/**
 * Default {@link OpenebsStorageApi} implementation, talking to the
 * openebs-storage backend plugin over HTTP.
 *
 * @public
 */
export class OpenebsStorageClient implements OpenebsStorageApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityStorage(entityRef: CompoundEntityRef): Promise<EntityStorage> {
    return this.request<EntityStorage>(`${entityApiPath(entityRef)}/storage`);
  }

  async requestRestore(
    entityRef: CompoundEntityRef,
    input: RestoreRequestInput,
  ): Promise<RestoreRequest> {
    return this.request<RestoreRequest>(
      `${entityApiPath(entityRef)}/restores`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      },
    );
  }

  async previewRestore(
    entityRef: CompoundEntityRef,
    input: Omit<RestoreRequestInput, 'requestId'>,
  ): Promise<RestorePreview> {
    return this.request<RestorePreview>(
      `${entityApiPath(entityRef)}/restores/preview`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      },
    );
  }

  async cancelRestore(
    entityRef: CompoundEntityRef,
    id: string,
  ): Promise<RestoreRequest> {
    return this.request<RestoreRequest>(
      `${entityApiPath(entityRef)}/restores/${encodeURIComponent(id)}/cancel`,
      { method: 'POST' },
    );
  }

  async decideRestore(
    entityRef: CompoundEntityRef,
    id: string,
    decision: { approve: true } | { approve: false; reason: string },
  ): Promise<RestoreRequest> {
    const path = `${entityApiPath(entityRef)}/restores/${encodeURIComponent(
      id,
    )}`;
    return decision.approve
      ? this.request<RestoreRequest>(`${path}/approve`, { method: 'POST' })
      : this.request<RestoreRequest>(`${path}/reject`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ reason: decision.reason }),
        });
  }

  async listRestores(
    entityRef: CompoundEntityRef,
  ): Promise<RestoreRequestList> {
    return this.request<RestoreRequestList>(
      `${entityApiPath(entityRef)}/restores`,
    );
  }

  async listDrills(entityRef: CompoundEntityRef): Promise<EntityDrills> {
    return this.request<EntityDrills>(`${entityApiPath(entityRef)}/drills`);
  }

  async runDrill(entityRef: CompoundEntityRef): Promise<RestoreDrill> {
    return this.request<RestoreDrill>(`${entityApiPath(entityRef)}/drills`, {
      method: 'POST',
    });
  }

  async setDrillEnrolment(
    entityRef: CompoundEntityRef,
    request: DrillEnrolmentRequest,
  ): Promise<EntityDrills> {
    return this.request<EntityDrills>(
      `${entityApiPath(entityRef)}/drills/enrolment`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  async exportDrillEvidence(
    entityRef: CompoundEntityRef,
  ): Promise<DrillEvidenceExport> {
    return this.request<DrillEvidenceExport>(
      `${entityApiPath(entityRef)}/drills/evidence`,
    );
  }

  async listMigrations(
    entityRef: CompoundEntityRef,
  ): Promise<VolumeMigrationList> {
    return this.request<VolumeMigrationList>(
      `${entityApiPath(entityRef)}/migrations`,
    );
  }

  async requestMigration(
    entityRef: CompoundEntityRef,
    input: VolumeMigrationInput,
  ): Promise<VolumeMigration> {
    return this.request<VolumeMigration>(
      `${entityApiPath(entityRef)}/migrations`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      },
    );
  }

  async decideMigration(
    entityRef: CompoundEntityRef,
    id: string,
    decision: 'confirm' | 'rollback',
  ): Promise<VolumeMigration> {
    return this.request<VolumeMigration>(
      `${entityApiPath(entityRef)}/migrations/${encodeURIComponent(
        id,
      )}/${decision}`,
      { method: 'POST' },
    );
  }

  async getMigrationRunbook(
    entityRef: CompoundEntityRef,
    id: string,
  ): Promise<MigrationRunbook> {
    return this.request<MigrationRunbook>(
      `${entityApiPath(entityRef)}/migrations/${encodeURIComponent(
        id,
      )}/runbook`,
    );
  }

  async getPostgresMigrationPlan(
    entityRef: CompoundEntityRef,
    database: {
      cluster: string;
      namespace: string;
      name: string;
      targetClass: string;
    },
  ): Promise<PostgresMigrationPlan> {
    return this.request<PostgresMigrationPlan>(
      postgresMigrationPlanPath(entityRef, database),
    );
  }

  /**
   * Fetches a backend path and parses its JSON body. Non-OK responses become
   * a `ResponseError`, which keeps the backend's error name (NotAllowedError,
   * NotFoundError, InputError) and message for the UI to show.
   */
  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('openebs-storage');
    // fetchApi (not the global fetch) adds the user's Backstage token.
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
