import { DescribeEventBusCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pipelineStatus } from '#shared/system/health.ts';
import type { Clock } from '#shared/time/clock.ts';
import type { DependencyProbe } from '../check-health.ts';
import type { HeartbeatRepository } from '../heartbeat-repository.ts';

/**
 * DynamoDB and the async pipeline are checked with one read: the heartbeat item. If the read
 * works, DynamoDB is up; the heartbeat's age says whether schedule → bus → queue → consumer runs.
 */
export function dynamoDbAndPipelineProbes(heartbeats: HeartbeatRepository, clock: Clock): DependencyProbe[] {
  let lastRead: Promise<Date | undefined> | undefined;
  const readOnce = () => {
    lastRead ??= heartbeats.lastHeartbeatAt().finally(() => {
      lastRead = undefined;
    });
    return lastRead;
  };
  return [
    {
      name: 'dynamodb',
      probe: async () => {
        await readOnce();
        return { status: 'ok' };
      },
    },
    { name: 'pipeline', probe: async () => pipelineStatus(await readOnce(), clock.now()) },
  ];
}

export function sqsProbe(client: SQSClient, queueUrl: string): DependencyProbe {
  return {
    name: 'sqs',
    probe: async () => {
      const { Attributes } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      return { status: 'ok', detail: `${Attributes?.ApproximateNumberOfMessages ?? '?'} message(s) waiting` };
    },
  };
}

export function eventBusProbe(client: EventBridgeClient, busName: string): DependencyProbe {
  return {
    name: 'eventbus',
    probe: async () => {
      await client.send(new DescribeEventBusCommand({ Name: busName }));
      return { status: 'ok' };
    },
  };
}
