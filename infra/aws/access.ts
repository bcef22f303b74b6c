import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { FunctionAccess } from '../topology/types.ts';

/** DynamoDB actions a `read` function gets. No Scan: request paths never scan (DESIGN.md, Data). */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * What `readWrite` adds. TransactWriteItems / TransactGetItems are not IAM actions: each item of a
 * transaction is authorised as its PutItem / UpdateItem / DeleteItem / ConditionCheckItem / GetItem.
 */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** ARNs the statements point at; tokens in the stack, plain strings in unit tests. */
export type AccessResources = {
  tableArn: string;
  /** One ARN per global secondary index (`<table>/index/<name>`), so no `index/*` wildcard is needed. */
  indexArns: string[];
  busArn: string;
  /** Queue ARN by queue name (main queues and their dead-letter queues). */
  queueArn: (queue: string) => string;
  /** SES identities of the account and region: `arn:<partition>:ses:<region>:<account>:identity/*`. */
  sesIdentitiesArn: string;
  /** The Secrets Manager secret holding the payment data keys (only needed with `paymentKeys`). */
  paymentKeysSecretArn?: string;
};

/** What `sendEmail` grants: SES v2 SendEmail is authorised as ses:SendEmail, raw content as ses:SendRawEmail. */
export const SEND_EMAIL_ACTIONS = ['ses:SendEmail', 'ses:SendRawEmail'] as const;

/**
 * The IAM statements a function's `access` entitles it to, and nothing more. Queue consumption
 * (receive / delete / change visibility) is granted by the event-source mapping, not here.
 */
export function accessStatements(access: FunctionAccess, resources: AccessResources): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (access.table) {
    const actions: string[] = [...TABLE_READ_ACTIONS];
    if (access.table === 'readWrite') actions.push(...TABLE_WRITE_ACTIONS);
    statements.push(
      new PolicyStatement({
        sid: access.table === 'readWrite' ? 'TableReadWrite' : 'TableRead',
        actions,
        resources: [resources.tableArn, ...resources.indexArns],
      }),
    );
  }
  if (access.sendTo?.length) {
    statements.push(
      new PolicyStatement({
        sid: 'QueueSend',
        actions: ['sqs:SendMessage'],
        resources: unique(access.sendTo).map(resources.queueArn),
      }),
    );
  }
  if (access.inspect?.length) {
    statements.push(
      new PolicyStatement({
        sid: 'QueueInspect',
        actions: ['sqs:GetQueueAttributes'],
        resources: unique(access.inspect).map(resources.queueArn),
      }),
    );
  }
  if (access.publish) {
    statements.push(
      new PolicyStatement({
        sid: 'BusPublish',
        actions: ['events:PutEvents'],
        resources: [resources.busArn],
      }),
    );
  }
  if (access.describeBus) {
    statements.push(
      new PolicyStatement({
        sid: 'BusDescribe',
        actions: ['events:DescribeEventBus'],
        resources: [resources.busArn],
      }),
    );
  }
  if (access.sendEmail) {
    statements.push(
      new PolicyStatement({
        sid: 'EmailSend',
        actions: [...SEND_EMAIL_ACTIONS],
        // The sending identity (a domain or address, EMAIL_FROM) is verified per deployment, outside
        // the stack, so the statement names the account's identities rather than one ARN.
        resources: [resources.sesIdentitiesArn],
      }),
    );
  }
  if (access.paymentKeys) {
    if (!resources.paymentKeysSecretArn) throw new Error('paymentKeys access needs the payment keys secret');
    statements.push(
      new PolicyStatement({
        sid: 'PaymentKeysRead',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [resources.paymentKeysSecretArn],
      }),
    );
  }
  return statements;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
