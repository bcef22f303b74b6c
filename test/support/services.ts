/** Clients for the run's shared DynamoDB Local and fauxqs, and per-test isolation helpers. */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { ensureTable, LOCAL_CREDENTIALS } from '../../infra/local/backing-services.ts';
import { nimbus } from '../../infra/topology/nimbus.ts';

export function serviceEndpoints() {
  return { dynamoDbEndpoint: inject('dynamoDbEndpoint'), sqsEndpoint: inject('sqsEndpoint') };
}

const clientConfig = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };

export function dynamoDbClient(): DynamoDBClient {
  return new DynamoDBClient({ ...clientConfig, endpoint: inject('dynamoDbEndpoint') });
}

export function sqsClient(): SQSClient {
  return new SQSClient({ ...clientConfig, endpoint: inject('sqsEndpoint') });
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A fresh table shaped like the topology's, for one test file; drop() removes it. */
export async function freshTable(): Promise<{
  tableName: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  drop: () => Promise<void>;
}> {
  const client = dynamoDbClient();
  const tableName = uniqueName('test');
  await ensureTable(client, nimbus, tableName);
  return {
    tableName,
    client,
    documentClient: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}
