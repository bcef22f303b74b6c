import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC } from '#shared/http/operation.ts';
import { nimbus } from '../topology/nimbus.ts';
import {
  deadLetterQueueName,
  type FunctionAccess,
  queueUrlEnvName,
  type Topology,
} from '../topology/types.ts';
import {
  DEFAULT_EMAIL_FROM,
  NimbusStack,
  type NimbusStackProps,
  REPO_ROOT,
  SPA_FALLBACK_FUNCTION,
} from './nimbus-stack.ts';

/*
 * One synth per topology (CDK synth is slow), shared by every assertion. Bundling is skipped; the
 * handler entry files must exist all the same (NodejsFunction checks), which catches typos in the
 * topology.
 */

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON is untyped
type Json = Record<string, any>;
type Statement = { Effect: string; Action: string | string[]; Resource?: unknown; Principal?: unknown };

const CDK_CONTEXT = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context as Json;
/** Managed-policy ids of CloudFront (aws-cdk-lib CachePolicy / OriginRequestPolicy constants). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const SQS_CONSUME_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

let webDir: string;

function synth(topology: Topology, stackName: string, props: Partial<NimbusStackProps> = {}) {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stack = new NimbusStack(app, stackName, { topology, webAssetPath: webDir, ...props });
  const template = Template.fromStack(stack);
  return { stack, template, view: new TemplateView(stackName, template.toJSON()) };
}

/** Lookups over the synthesized template, by the names the topology uses. */
class TemplateView {
  readonly resources: Record<string, Json>;
  constructor(
    readonly stackName: string,
    template: Json,
  ) {
    this.resources = template.Resources;
  }

  ofType(type: string): [string, Json][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  idWhere(type: string, property: string, value: unknown): string {
    const found = this.ofType(type).filter(([, r]) => r.Properties?.[property] === value);
    const [only] = found;
    if (!only || found.length !== 1) {
      throw new Error(`expected one ${type} with ${property}=${value}, got ${found.length}`);
    }
    return only[0];
  }

  /** The logical id of the one resource of a type. */
  onlyId(type: string): string {
    const found = this.ofType(type);
    const [only] = found;
    if (!only || found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}`);
    return only[0];
  }

  functionId(name: string): string {
    return this.idWhere('AWS::Lambda::Function', 'FunctionName', `${this.stackName}-${name}`);
  }

  queueId(name: string): string {
    return this.idWhere('AWS::SQS::Queue', 'QueueName', `${this.stackName}-${name}`);
  }

  props(id: string): Json {
    const resource = this.resources[id];
    if (!resource) throw new Error(`no resource ${id}`);
    return resource.Properties ?? {};
  }

  /** Every statement of a role: its inline policies and the AWS::IAM::Policy resources attached to it. */
  roleStatements(roleId: string): Statement[] {
    const inline = (this.props(roleId).Policies ?? []).flatMap((p: Json) => p.PolicyDocument.Statement);
    const attached = this.ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    return [...inline, ...attached];
  }

  functionStatements(name: string): Statement[] {
    const role = this.props(this.functionId(name)).Role;
    return this.roleStatements(role['Fn::GetAtt'][0]);
  }
}

const actionsOf = (statements: Statement[]) =>
  [...new Set(statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])))].sort();

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

/** What a function's policy must contain, derived here independently of infra/aws/access.ts. */
function expectedActions(topology: Topology, name: string, access: FunctionAccess): string[] {
  const actions = ['logs:CreateLogStream', 'logs:PutLogEvents'];
  if (access.table) actions.push('dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query');
  if (access.table) actions.push('dynamodb:ConditionCheckItem');
  if (access.table === 'readWrite') {
    actions.push('dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem');
  }
  if (access.sendTo?.length) actions.push('sqs:SendMessage');
  if (access.inspect?.length) actions.push('sqs:GetQueueAttributes');
  if (access.publish) actions.push('events:PutEvents');
  if (access.describeBus) actions.push('events:DescribeEventBus');
  if (access.sendEmail) actions.push('ses:SendEmail', 'ses:SendRawEmail');
  if (access.paymentKeys) actions.push('secretsmanager:GetSecretValue');
  if (topology.queues.some((q) => q.consumer.function === name)) actions.push(...SQS_CONSUME_ACTIONS);
  return [...new Set(actions)].sort();
}

function nagFindings(stack: NimbusStack): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  return report.violations.map(
    (v) =>
      `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}: ${v.description}`,
  );
}

beforeAll(() => {
  webDir = mkdtempSync(join(tmpdir(), 'nimbus-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Nimbus</title>');
  writeFileSync(join(webDir, '200.html'), '<!doctype html><title>Nimbus</title>');
});

afterAll(() => {
  rmSync(webDir, { recursive: true, force: true });
});

describe('NimbusStack from the nimbus topology', () => {
  let stack: NimbusStack;
  let template: Template;
  let view: TemplateView;

  beforeAll(() => {
    ({ stack, template, view } = synth(nimbus, 'Nimbus'));
  });

  it('has one HTTP API route per topology route, integrated with its function', () => {
    expect(view.ofType('AWS::ApiGatewayV2::Route')).toHaveLength(nimbus.routes.length);
    for (const route of nimbus.routes) {
      const routeKey = `${route.operation.method} ${route.operation.path}`;
      const routeId = view.idWhere('AWS::ApiGatewayV2::Route', 'RouteKey', routeKey);
      const integrationId = view.props(routeId).Target['Fn::Join'][1][1].Ref;
      expect(view.props(integrationId)).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: getAtt(view.functionId(route.function)),
        PayloadFormatVersion: '2.0',
      });
    }
    // One invoke permission per API function (any route of this API), not one per route.
    const apiFunctions = new Set(nimbus.routes.map((route) => route.function));
    const apiPermissions = view
      .ofType('AWS::Lambda::Permission')
      .filter(([, resource]) => resource.Properties?.Principal === 'apigateway.amazonaws.com');
    expect(apiPermissions).toHaveLength(apiFunctions.size);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
    });
  });

  it('stays well inside CloudFormation’s 500 resources a stack', () => {
    // 401 at the time of writing; past ~450, move a context into a nested stack before adding more.
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(450);
  });

  it('gives every queue a dead-letter queue with the topology redrive, an alarm and its consumer', () => {
    for (const queue of nimbus.queues) {
      const queueId = view.queueId(queue.name);
      const dlqId = view.queueId(deadLetterQueueName(queue.name));
      expect(view.props(queueId)).toMatchObject({
        VisibilityTimeout: queue.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: queue.maxReceiveCount },
        SqsManagedSseEnabled: true,
      });
      expect(view.props(dlqId)).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(queueId),
        FunctionName: { Ref: view.functionId(queue.consumer.function) },
        BatchSize: queue.consumer.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ...(queue.consumer.maxConcurrency
          ? { ScalingConfig: { MaximumConcurrency: queue.consumer.maxConcurrency } }
          : {}),
      });
    }
  });

  it('alarms on every dead-letter queue, to the ops-alerts topic', () => {
    const redriveTargets = view
      .ofType('AWS::SQS::Queue')
      .map(([, q]) => q.Properties.RedrivePolicy?.deadLetterTargetArn?.['Fn::GetAtt']?.[0])
      .filter(Boolean);
    const deliveryDlq = view.queueId('event-delivery-dlq');
    const topicId = view.onlyId('AWS::SNS::Topic');
    for (const dlqId of [...redriveTargets, deliveryDlq]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(dlqId, 'QueueName') }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        AlarmActions: [{ Ref: topicId }],
      });
    }
    // Every queue policy denies plain HTTP.
    for (const [, policy] of view.ofType('AWS::SQS::QueuePolicy')) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('runs every function on nodejs24.x / arm64 with its own log group and environment', () => {
    for (const fn of nimbus.functions) {
      const props = view.props(view.functionId(fn.name));
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: `index.${fn.handler ?? 'handler'}`,
        MemorySize: fn.memoryMb ?? 256,
        Timeout: fn.timeoutSeconds ?? 10,
      });
      const logGroupId = props.LoggingConfig.LogGroup.Ref;
      expect(view.props(logGroupId)).toMatchObject({ RetentionInDays: 30 });

      const consumed = nimbus.queues.filter((q) => q.consumer.function === fn.name).map((q) => q.name);
      const queues = new Set([...(fn.access.sendTo ?? []), ...(fn.access.inspect ?? []), ...consumed]);
      const expectedEnv: Json = {
        TABLE_NAME: Match.anyValue(),
        EVENT_BUS_NAME: Match.anyValue(),
        POWERTOOLS_SERVICE_NAME: 'nimbus',
        // The site the web app is served from: the distribution's domain (no custom domain here).
        PUBLIC_URL: {
          'Fn::Join': [
            '',
            ['https://', { 'Fn::GetAtt': [view.onlyId('AWS::CloudFront::Distribution'), 'DomainName'] }],
          ],
        },
        ...(fn.access.sendEmail ? { EMAIL_FROM: DEFAULT_EMAIL_FROM } : {}),
        ...(fn.access.paymentKeys
          ? { PAYMENTS_DATA_KEYS_SECRET_ARN: { Ref: view.onlyId('AWS::SecretsManager::Secret') } }
          : {}),
      };
      for (const queue of queues) expectedEnv[queueUrlEnvName(queue)] = { Ref: view.queueId(queue) };
      expect(Object.keys(props.Environment.Variables).sort()).toEqual(Object.keys(expectedEnv).sort());
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `Nimbus-${fn.name}`,
        Environment: { Variables: expectedEnv },
      });
    }
  });

  it('keeps the payment data keys in one retained secret that only paymentKeys functions read', () => {
    const secretId = view.onlyId('AWS::SecretsManager::Secret');
    template.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: {
        GenerateSecretString: Match.objectLike({
          GenerateStringKey: 'k1',
          SecretStringTemplate: '{"current":"k1"}',
        }),
      },
    });
    const readers = Object.values(template.findResources('AWS::IAM::Role')).filter((role) =>
      JSON.stringify(role).includes('secretsmanager:GetSecretValue'),
    );
    expect(readers).toHaveLength(nimbus.functions.filter((fn) => fn.access.paymentKeys).length);
    for (const role of readers) {
      expect(JSON.stringify(role)).toContain(JSON.stringify({ Ref: secretId }));
    }
  });

  it('keeps the table: PITR, TTL, on-demand, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: nimbus.table.ttlAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    });
  });

  it('creates a global secondary index per topology index: string keys, all attributes projected', () => {
    expect(nimbus.table.indexes.length).toBeGreaterThan(0);
    const table = view.props(view.onlyId('AWS::DynamoDB::Table'));
    expect(table.GlobalSecondaryIndexes).toEqual(
      nimbus.table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const keyNames = new Set([
      'pk',
      'sk',
      ...nimbus.table.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]);
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining([...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table.AttributeDefinitions).toHaveLength(keyNames.size);
  });

  it('has no IAM statement granting "*" or "<service>:*"', () => {
    const offending: string[] = [];
    const check = (where: string, statements: Statement[], allowOnly: boolean) => {
      for (const s of statements) {
        if (allowOnly && s.Effect !== 'Allow') continue;
        for (const action of Array.isArray(s.Action) ? s.Action : [s.Action]) {
          if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action)) offending.push(`${where}: ${action}`);
        }
      }
    };
    for (const [id, role] of view.ofType('AWS::IAM::Role')) {
      for (const policy of role.Properties.Policies ?? []) check(id, policy.PolicyDocument.Statement, false);
    }
    for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
      for (const [id, p] of view.ofType(type)) check(id, p.Properties.PolicyDocument.Statement, false);
    }
    // Resource policies: enforceSSL adds Deny `s3:*` / `sqs:*` / `sns:*` without TLS, which is the point.
    for (const type of ['AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy']) {
      for (const [id, p] of view.ofType(type)) check(id, p.Properties.PolicyDocument.Statement, true);
    }
    expect(offending).toEqual([]);
  });

  it('grants each function exactly what its topology access needs', () => {
    for (const fn of nimbus.functions) {
      expect(actionsOf(view.functionStatements(fn.name)), fn.name).toEqual(
        expectedActions(nimbus, fn.name, fn.access),
      );
    }
    expect(
      actionsOf(view.functionStatements('getOpenApiDocument')).filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
    // Resources: the health check inspects exactly the queues it names, on the stack's own bus.
    const health = view.functionStatements('getHealth');
    expect(health).toContainEqual(
      expect.objectContaining({
        Action: 'sqs:GetQueueAttributes',
        Resource: getAtt(view.queueId('heartbeats')),
      }),
    );
    const busId = view.onlyId('AWS::Events::EventBus');
    expect(health).toContainEqual(
      expect.objectContaining({ Action: 'events:DescribeEventBus', Resource: getAtt(busId) }),
    );
    expect(health.every((s) => s.Resource !== '*')).toBe(true);
  });

  it('creates the rules on the bus with their patterns and targets', () => {
    const busId = view.onlyId('AWS::Events::EventBus');
    expect(view.props(busId).Name).toBe(`Nimbus-${nimbus.bus.name}`);
    for (const rule of nimbus.rules) {
      const props = view.props(view.idWhere('AWS::Events::Rule', 'Name', rule.name));
      expect(props.EventBusName).toEqual({ Ref: busId });
      expect(props.EventPattern).toEqual(rule.pattern);
      const arns = props.Targets.map((t: Json) => t.Arn);
      expect(arns).toEqual(
        rule.targets.map((t) =>
          getAtt(t.kind === 'queue' ? view.queueId(t.queue) : view.functionId(t.function)),
        ),
      );
      for (const target of props.Targets) {
        expect(target.DeadLetterConfig).toEqual({ Arn: getAtt(view.queueId('event-delivery-dlq')) });
      }
    }
  });

  it('creates the schedules with their expressions and the local runtime payload', () => {
    for (const schedule of nimbus.schedules) {
      const props = view.props(view.idWhere('AWS::Scheduler::Schedule', 'Name', `Nimbus-${schedule.name}`));
      expect(props).toMatchObject({
        ScheduleExpression: schedule.expression,
        ScheduleExpressionTimezone: 'Etc/UTC',
        State: 'ENABLED',
        Target: { Arn: getAtt(view.functionId(schedule.function)) },
      });
      expect(JSON.parse(props.Target.Input)).toEqual({
        schedule: schedule.name,
        scheduledTime: '<aws.scheduler.scheduled-time>',
      });
    }
  });

  it('serves the web app from a private bucket and /api/* from the HTTP API through CloudFront', () => {
    const config = view.props(view.onlyId('AWS::CloudFront::Distribution')).DistributionConfig;
    const apiBehaviour = config.CacheBehaviors.find((b: Json) => b.PathPattern === '/api/*');
    expect(apiBehaviour).toMatchObject({
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      AllowedMethods: expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
    });
    const apiOrigin = config.Origins.find((o: Json) => o.Id === apiBehaviour.TargetOriginId);
    const apiId = view.onlyId('AWS::ApiGatewayV2::Api');
    expect(JSON.stringify(apiOrigin.DomainName)).toContain(`"Ref":"${apiId}"`);
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });

    const siteOrigin = config.Origins.find((o: Json) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
    expect(siteOrigin.OriginAccessControlId).toBeDefined();
    // The SPA fallback runs on the S3 behaviour only; distribution-wide error responses would also
    // rewrite the API's 403 / 404 into 200 + HTML.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(apiBehaviour.FunctionAssociations).toBeUndefined();
    const [association] = config.DefaultCacheBehavior.FunctionAssociations;
    expect(association.EventType).toBe('viewer-request');
    const fallback = view.props(association.FunctionARN['Fn::GetAtt'][0]);
    expect(fallback.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fallback.FunctionCode).toBe(SPA_FALLBACK_FUNCTION);
    for (const [, bucket] of view.ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
  });

  it('sends client-side routes to /200.html and leaves files alone (the CloudFront Function)', () => {
    const handler = new Function(`${SPA_FALLBACK_FUNCTION}; return handler;`)() as (event: Json) => Json;
    const served = (uri: string) => handler({ request: { uri, method: 'GET', headers: {} } }).uri;
    expect(served('/')).toBe('/');
    expect(served('/status')).toBe('/200.html');
    expect(served('/stores/demo/basket/')).toBe('/200.html');
    expect(served('/index.html')).toBe('/index.html');
    expect(served('/favicon.svg')).toBe('/favicon.svg');
    expect(served('/_app/immutable/entry/start.B2x1.js')).toBe('/_app/immutable/entry/start.B2x1.js');
  });

  it('outputs the site URL, API URL, table name and bus name', () => {
    for (const output of ['SiteUrl', 'ApiUrl', 'TableName', 'EventBusName']) template.hasOutput(output, {});
  });

  it('passes the cdk-nag AwsSolutions pack (every exception acknowledged with a reason)', () => {
    const findings = nagFindings(stack);
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });
});

describe('NimbusStack from another topology', () => {
  const extra: Topology = {
    ...nimbus,
    app: 'custom',
    table: {
      ...nimbus.table,
      indexes: [{ name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    },
    functions: [
      ...nimbus.functions,
      {
        name: 'placeOrder',
        context: 'orders',
        // Any existing module will do: bundling is skipped.
        entry: 'functions/src/system/handlers/get-health.ts',
        memoryMb: 512,
        timeoutSeconds: 20,
        access: { table: 'readWrite', sendTo: ['orders'], publish: true, sendEmail: true },
      },
      {
        name: 'fulfilOrder',
        context: 'orders',
        entry: 'functions/src/system/handlers/record-heartbeat.ts',
        handler: 'fulfil',
        timeoutSeconds: 30,
        access: { table: 'read', inspect: ['orders-dlq'] },
      },
    ],
    routes: [
      ...nimbus.routes,
      {
        operation: {
          operationId: 'placeOrder',
          method: 'POST',
          path: '/api/v1/stores/{store}/orders',
          summary: 'Place an order',
          tags: ['orders'],
          access: PUBLIC,
          responses: { 201: null },
        },
        function: 'placeOrder',
      },
    ],
    queues: [
      ...nimbus.queues,
      {
        name: 'orders',
        visibilityTimeoutSeconds: 180,
        maxReceiveCount: 3,
        consumer: { function: 'fulfilOrder', batchSize: 25, maxBatchingWindowSeconds: 2 },
      },
    ],
    rules: [
      ...nimbus.rules,
      {
        name: 'paidOrders',
        description: 'Paid orders are fulfilled at once',
        pattern: {
          source: ['nimbus.orders'],
          'detail-type': ['order.paid'],
          detail: { total: [{ numeric: ['>', 0] }] },
        },
        targets: [{ kind: 'function', function: 'fulfilOrder' }],
      },
    ],
    schedules: [
      ...nimbus.schedules,
      {
        name: 'billingSweep',
        description: 'Hourly billing',
        expression: 'cron(5 * * * ? *)',
        function: 'placeOrder',
      },
    ],
  };
  let stack: NimbusStack;
  let template: Template;
  let view: TemplateView;

  beforeAll(() => {
    ({ stack, template, view } = synth(extra, 'Custom', { emailFrom: 'Custom Shop <shop@custom.test>' }));
  });

  it('creates what the topology adds, and nothing is hard-coded', () => {
    expect(view.ofType('AWS::ApiGatewayV2::Route')).toHaveLength(nimbus.routes.length + 1);
    view.idWhere('AWS::ApiGatewayV2::Route', 'RouteKey', 'POST /api/v1/stores/{store}/orders');

    const ordersId = view.queueId('orders');
    expect(view.props(ordersId)).toMatchObject({
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: getAtt(view.queueId('orders-dlq')), maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(ordersId),
      FunctionName: { Ref: view.functionId('fulfilOrder') },
      BatchSize: 25,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: getAtt(view.queueId('orders-dlq'), 'QueueName') }],
    });

    expect(view.props(view.functionId('placeOrder'))).toMatchObject({ MemorySize: 512, Timeout: 20 });
    expect(view.props(view.functionId('fulfilOrder'))).toMatchObject({
      Handler: 'index.fulfil',
      Environment: {
        Variables: {
          QUEUE_URL_ORDERS: { Ref: ordersId },
          QUEUE_URL_ORDERS_DLQ: { Ref: view.queueId('orders-dlq') },
        },
      },
    });

    const schedule = view.props(view.idWhere('AWS::Scheduler::Schedule', 'Name', 'Custom-billingSweep'));
    expect(schedule).toMatchObject({
      ScheduleExpression: 'cron(5 * * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: { Arn: getAtt(view.functionId('placeOrder')) },
    });

    const rule = view.props(view.idWhere('AWS::Events::Rule', 'Name', 'paidOrders'));
    expect(rule.EventPattern).toEqual(extra.rules.find((r) => r.name === 'paidOrders')?.pattern);
    expect(rule.Targets[0].Arn).toEqual(getAtt(view.functionId('fulfilOrder')));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: getAtt(view.functionId('fulfilOrder')),
      Principal: 'events.amazonaws.com',
    });

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        },
      ],
    });
  });

  it('derives least privilege for the new functions, indexes included', () => {
    for (const fn of extra.functions) {
      expect(actionsOf(view.functionStatements(fn.name)), fn.name).toEqual(
        expectedActions(extra, fn.name, fn.access),
      );
    }
    const tableId = view.onlyId('AWS::DynamoDB::Table');
    const read = view
      .functionStatements('fulfilOrder')
      .find((s) => actionsOf([s]).includes('dynamodb:Query'));
    expect(read?.Resource).toEqual([
      getAtt(tableId),
      { 'Fn::Join': ['', [getAtt(tableId), '/index/byStatus']] },
    ]);
    expect(view.functionStatements('placeOrder')).toContainEqual(
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: getAtt(view.queueId('orders')) }),
    );
  });

  it('lets only functions with sendEmail send mail through SES, from the emailFrom sender', () => {
    const send = view.functionStatements('placeOrder').find((s) => s.Action.includes('ses:SendEmail'));
    expect(send).toMatchObject({
      Effect: 'Allow',
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':identity/*',
          ],
        ],
      },
    });
    expect(view.props(view.functionId('placeOrder')).Environment.Variables.EMAIL_FROM).toBe(
      'Custom Shop <shop@custom.test>',
    );
    for (const fn of extra.functions.filter((f) => !f.access.sendEmail)) {
      expect(
        actionsOf(view.functionStatements(fn.name)).filter((a) => a.startsWith('ses:')),
        fn.name,
      ).toEqual([]);
      expect(view.props(view.functionId(fn.name)).Environment.Variables.EMAIL_FROM, fn.name).toBeUndefined();
    }
  });

  it('still passes cdk-nag', () => {
    const findings = nagFindings(stack);
    expect(findings, `unacknowledged cdk-nag findings:\n${findings.join('\n')}`).toEqual([]);
  });

  it('rejects a topology that refers to something it does not define', () => {
    const broken: Topology = {
      ...nimbus,
      routes: nimbus.routes.map((route) => ({ ...route, function: 'nope' })),
    };
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(() => new NimbusStack(app, 'Broken', { topology: broken, webAssetPath: webDir })).toThrow(
      /unknown function nope/,
    );
  });
});
