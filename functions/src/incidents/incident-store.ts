import type { StoredIncident } from './incident.ts';

/** Incidents of a tenant (adapters/dynamodb-incident-store.ts). */
export interface IncidentStore {
  /** Creates the incident unless one with its fingerprint exists: then that one's id. */
  create(
    tenantId: string,
    incident: StoredIncident,
  ): Promise<{ created: true } | { created: false; id: string }>;
  get(tenantId: string, incidentId: string): Promise<StoredIncident | undefined>;
  /** Newest first. */
  list(
    tenantId: string,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredIncident[]; nextCursor?: string }>;
  /** Replaces the incident if its progress is still at `expectedPages`; false when another run got there first. */
  saveProgress(tenantId: string, incident: StoredIncident, expectedPages: number): Promise<boolean>;
}
