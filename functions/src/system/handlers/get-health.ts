import { queueUrlEnvName } from '#infra/topology/types.ts';
import { getHealth } from '#shared/system/api.ts';
import { healthHttpStatus } from '#shared/system/health.ts';
import { systemClock } from '#shared/time/clock.ts';
import { dynamoDocumentClient, eventBridge, sqs } from '../../aws/clients.ts';
import { eventBusName, requiredEnv, tableName } from '../../aws/environment.ts';
import { httpHandler } from '../../http/http-handler.ts';
import { dynamoDbAndPipelineProbes, eventBusProbe, sqsProbe } from '../adapters/aws-probes.ts';
import { DynamoDbHeartbeatRepository } from '../adapters/dynamodb-heartbeat-repository.ts';
import { cachedHealth, checkHealth } from '../check-health.ts';

const HEALTH_CACHE_MS = 2_000;

const currentHealth = cachedHealth(
  () =>
    checkHealth(
      [
        ...dynamoDbAndPipelineProbes(
          new DynamoDbHeartbeatRepository(dynamoDocumentClient(), tableName()),
          systemClock,
        ),
        sqsProbe(sqs(), requiredEnv(queueUrlEnvName('heartbeats'))),
        eventBusProbe(eventBridge(), eventBusName()),
      ],
      systemClock,
    ),
  HEALTH_CACHE_MS,
  systemClock,
);

export const handler = httpHandler(getHealth, async () => {
  const report = await currentHealth();
  return { status: healthHttpStatus(report), body: report };
});
