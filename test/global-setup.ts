/**
 * Integration tests share one DynamoDB Local (in memory) and one fauxqs for the whole run; each
 * test file isolates itself with its own table or name prefix (test/support/services.ts).
 */
import type { TestProject } from 'vitest/node';
import {
  PrerequisiteError,
  SUSTAINED_LOAD_JVM,
  startDynamoDbLocal,
  startQueueService,
} from '../infra/local/backing-services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    sqsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
  // The suite keeps DynamoDB Local busy for minutes (a month of billing): full JIT pays off here,
  // where `npm start` prefers the quicker start of the default.
  process.env.JAVA_TOOL_OPTIONS ??= SUSTAINED_LOAD_JVM;
  try {
    dynamo = await startDynamoDbLocal();
  } catch (error) {
    if (error instanceof PrerequisiteError) throw new Error(`Integration tests cannot run: ${error.message}`);
    throw error;
  }
  const queues = await startQueueService();
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', queues.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), queues.stop()]);
  };
}
