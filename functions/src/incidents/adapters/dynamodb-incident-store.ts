import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { getTenantItem } from '../../data/items.ts';
import { tenantPk } from '../../data/keys.ts';
import { queryPage } from '../../data/paging.ts';
import { backoff, transact } from '../../data/transactions.ts';
import type { StoredIncident } from '../incident.ts';
import type { IncidentStore } from '../incident-store.ts';

const PREFIX = 'INCIDENT#';
const incidentSk = (id: string) => `${PREFIX}${id}`;
/** Guards one incident per scope and period (docs/data-model.md). */
const fingerprintSk = (fingerprint: string) => `INCIDENT_KEY#${fingerprint}`;

/** Incidents in the tenant's partition, newest first by their ULID. */
export class DynamoDbIncidentStore implements IncidentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(tenantId: string, incident: StoredIncident) {
    const pk = tenantPk(tenantId);
    for (let attempt = 1; ; attempt++) {
      const outcome = await transact(this.client, [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              pk,
              sk: fingerprintSk(incident.fingerprint),
              entity: 'incidentKey',
              incidentId: incident.id,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { pk, sk: incidentSk(incident.id), entity: 'incident', incident },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (outcome.ok) return { created: true } as const;
      if (outcome.failedConditions.includes(0)) {
        const { Item } = await this.client.send(
          new GetCommand({
            TableName: this.tableName,
            Key: { pk, sk: fingerprintSk(incident.fingerprint) },
            ConsistentRead: true,
          }),
        );
        return { created: false, id: Item?.incidentId as string } as const;
      }
      if (attempt >= 5) throw new Error('incident could not be recorded');
      await backoff(attempt);
    }
  }

  async get(tenantId: string, incidentId: string): Promise<StoredIncident | undefined> {
    const item = await getTenantItem(this.client, this.tableName, tenantId, incidentSk(incidentId));
    return item?.incident as StoredIncident | undefined;
  }

  list(tenantId: string, page: { limit: number; cursor?: string | undefined }) {
    const pk = tenantPk(tenantId);
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': PREFIX },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
      (sk) => ({ pk, sk }),
      (item) => item.incident as StoredIncident,
      PREFIX,
    );
  }

  async saveProgress(tenantId: string, incident: StoredIncident, expectedPages: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: tenantPk(tenantId), sk: incidentSk(incident.id), entity: 'incident', incident },
          ConditionExpression: '#incident.#progress.#pages = :expected',
          ExpressionAttributeNames: { '#incident': 'incident', '#progress': 'progress', '#pages': 'pages' },
          ExpressionAttributeValues: { ':expected': expectedPages },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
