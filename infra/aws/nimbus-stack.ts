import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Annotations,
  Aws,
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Token,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type EventPattern as L2EventPattern, Rule } from 'aws-cdk-lib/aws-events';
import {
  LambdaFunction as LambdaFunctionTarget,
  SqsQueue as SqsQueueTarget,
} from 'aws-cdk-lib/aws-events-targets';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { lambdaBundling } from '../bundling.ts';
import {
  deadLetterQueueName,
  type EventPattern,
  type FunctionDef,
  queueUrlEnvName,
  type Topology,
} from '../topology/types.ts';
import { accessStatements } from './access.ts';

/** The repository root: topology entries are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const DEFAULT_MEMORY_MB = 256;
const DEFAULT_TIMEOUT_SECONDS = 10;
const LOG_RETENTION = RetentionDays.ONE_MONTH;
/** Default-stage throttling of the HTTP API (requests per second, over all clients). */
const API_THROTTLE = { rateLimit: 100, burstLimit: 200 };
/** Sender of the store's mail when the context value `emailFrom` is not given. */
export const DEFAULT_EMAIL_FROM = 'Nimbus <no-reply@example.com>';
/** SvelteKit adapter-static `fallback` page (STACK-NOTES 10). */
const SPA_FALLBACK = '/200.html';

/**
 * The SPA fallback, as a CloudFront Function (viewer request) on the S3 behaviour only: a path whose
 * last segment has no file extension is a client-side route and gets the adapter-static shell,
 * like the local runtime (infra/local/static-site.ts) serves it; `/` stays for the default root
 * object. Files (`/_app/...js`, `/favicon.svg`) and `/api/*` are untouched.
 */
export const SPA_FALLBACK_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri !== '/' && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '${SPA_FALLBACK}';
  }
  return request;
}`;

export type NimbusStackProps = StackProps & {
  /** The system as data; everything below is derived from it. */
  topology: Topology;
  /** Built web app (SvelteKit adapter-static output). Default: `<repo>/web/build`. */
  webAssetPath?: string;
  /** Root that topology `entry` paths are relative to. Default: the repository root. */
  repoRoot?: string;
  /** Subscribes this address to the ops-alerts topic (the recipient must confirm). */
  alertEmail?: string;
  /**
   * Sender of the store's mail (EMAIL_FROM of functions with `sendEmail`), e.g.
   * `Shop <no-reply@shop.example.com>`: its address or domain must be a verified SES identity.
   * Default: DEFAULT_EMAIL_FROM.
   */
  emailFrom?: string;
  /**
   * Base URL of the domain registrar adapter the basket asks about domain availability
   * (REGISTRAR_URL; the contract is in functions/src/basket/registrar.ts). Without it the basket
   * reports availability as unchecked.
   */
  registrarUrl?: string;
  /** Custom domain for the site; needs `certificateArn` (ACM certificate in us-east-1). */
  domainName?: string;
  certificateArn?: string;
};

/**
 * Nimbus on AWS, built only from the topology: one DynamoDB table, a Lambda function per topology
 * function, an HTTP API route per topology route, an SQS queue (+ dead-letter queue and alarm) per
 * topology queue, an EventBridge rule per topology rule, a Scheduler schedule per topology
 * schedule, and the web app on S3 behind CloudFront (which also fronts the API under /api/*).
 */
export class NimbusStack extends Stack {
  readonly table: Table;
  readonly bus: EventBus;
  readonly api: HttpApi;
  readonly distribution: Distribution;
  readonly alerts: Topic;
  readonly functions = new Map<string, NodejsFunction>();
  /** Main queues and dead-letter queues, by topology name (`<queue>` and `<queue>-dlq`). */
  readonly queues = new Map<string, Queue>();
  /** Data keys that seal merchants' payment keys; only when a function has `paymentKeys` access. */
  readonly paymentKeys: Secret | undefined;

  constructor(scope: Construct, id: string, props: NimbusStackProps) {
    super(scope, id, props);
    const { topology } = props;
    const repoRoot = props.repoRoot ?? REPO_ROOT;
    validateTopology(topology);

    this.alerts = this.createAlertsTopic(props.alertEmail);
    this.table = this.createTable(topology);
    this.bus = new EventBus(this, 'EventBus', { eventBusName: `${this.stackName}-${topology.bus.name}` });
    // EventBridge rule targets and Scheduler targets park undeliverable events here.
    const deliveryDlq = this.createDeliveryDeadLetterQueue();

    for (const queue of topology.queues) this.createQueue(queue);
    this.paymentKeys = topology.functions.some((fn) => fn.access.paymentKeys)
      ? this.createPaymentKeysSecret()
      : undefined;
    const emailFrom = props.emailFrom ?? DEFAULT_EMAIL_FROM;
    for (const fn of topology.functions) this.createFunction(topology, fn, repoRoot, emailFrom);
    for (const queue of topology.queues) this.connectConsumer(topology, queue);

    this.api = this.createHttpApi(topology);
    this.createRules(topology, deliveryDlq);
    this.createSchedules(topology, deliveryDlq);
    this.distribution = this.createWeb(props);
    const siteUrl = props.domainName
      ? `https://${props.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
    // Links in emails and the CSRF origin check name the site the web app is served from.
    for (const fn of this.functions.values()) {
      fn.addEnvironment('PUBLIC_URL', siteUrl);
      if (props.registrarUrl) fn.addEnvironment('REGISTRAR_URL', props.registrarUrl);
    }

    new CfnOutput(this, 'SiteUrl', {
      description: 'The web app (and the API under /api/*)',
      value: props.domainName
        ? `https://${props.domainName}`
        : `https://${this.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'DistributionDomainName', {
      description: 'Point a custom domain here (CNAME or Route 53 alias)',
      value: this.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'HTTP API endpoint (routes start with /api)',
      value: this.api.apiEndpoint,
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alerts.topicArn });
  }

  private createAlertsTopic(alertEmail: string | undefined): Topic {
    const topic = new Topic(this, 'OpsAlerts', {
      displayName: `${this.stackName} ops alerts`,
      enforceSSL: true,
    });
    // The topic policy (enforceSSL) replaces SNS's default policy, so let CloudWatch alarms of this
    // account publish explicitly.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
        },
      }),
    );
    if (alertEmail) topic.addSubscription(new EmailSubscription(alertEmail));
    return topic;
  }

  private createTable(topology: Topology): Table {
    const { table } = topology;
    const result = new Table(this, 'Table', {
      partitionKey: { name: table.partitionKey, type: AttributeType.STRING },
      sortKey: { name: table.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: table.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of table.indexes) {
      result.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return result;
  }

  /**
   * The payment data keys (functions/src/payments/secret-box.ts): `{ current, <id>: material }`,
   * generated here once. Retained with the stack gone: without it no stored Stripe key opens.
   */
  private createPaymentKeysSecret(): Secret {
    const secret = new Secret(this, 'PaymentDataKeys', {
      description: `${this.stackName}: data keys that encrypt merchants' payment keys (Stripe)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'These are data keys, not credentials: values sealed with a key must still open after a rotation, ' +
        'so a rotation adds a key id and points `current` at it (docs/payments.md) instead of replacing ' +
        'the secret, which is what automatic rotation would do.',
    });
    return secret;
  }

  private createDeliveryDeadLetterQueue(): Queue {
    const dlq = new Queue(this, 'EventDeliveryDlq', {
      queueName: `${this.stackName}-event-delivery-dlq`,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
    });
    this.alarmOnMessages(
      'EventDeliveryDlq',
      dlq,
      'EventBridge or Scheduler could not deliver an event to its target after all retries.',
    );
    Validations.of(dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the DeadLetterConfig of EventBridge rule targets and ' +
        'Scheduler targets (not an SQS redrive policy, which is all the rule looks for).',
    });
    return dlq;
  }

  private createQueue(def: Topology['queues'][number]): void {
    const id = pascal(def.name);
    const dlqName = deadLetterQueueName(def.name);
    const dlq = new Queue(this, `${id}Dlq`, {
      queueName: maxLength('queue name', `${this.stackName}-${dlqName}`, 80),
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
    });
    const queue = new Queue(this, `${id}Queue`, {
      queueName: `${this.stackName}-${def.name}`,
      visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
    });
    this.alarmOnMessages(
      `${id}Dlq`,
      dlq,
      `A message on ${def.name} failed ${def.maxReceiveCount} times and was moved to ${dlqName}.`,
    );
    this.queues.set(def.name, queue);
    this.queues.set(dlqName, dlq);
  }

  private alarmOnMessages(id: string, dlq: Queue, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      alarmDescription: `${description} Inspect the dead-letter queue and replay once fixed.`,
      metric: dlq.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alerts));
  }

  private createFunction(topology: Topology, def: FunctionDef, repoRoot: string, emailFrom: string): void {
    const id = pascal(def.name);
    const functionName = maxLength('Lambda function name', `${this.stackName}-${def.name}`, 64);
    const logGroup = new LogGroup(this, `${id}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const statements = accessStatements(def.access, {
      tableArn: this.table.tableArn,
      indexArns: topology.table.indexes.map((index) => `${this.table.tableArn}/index/${index.name}`),
      busArn: this.bus.eventBusArn,
      queueArn: (name) => this.queue(name, `function ${def.name}`).queueArn,
      sesIdentitiesArn: `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/*`,
      ...(this.paymentKeys ? { paymentKeysSecretArn: this.paymentKeys.secretArn } : {}),
    });
    const role = new Role(this, `${id}Role`, {
      description: `${functionName}: its log group plus what the topology access grants`,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'OwnLogGroup',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              // The log group's Arn attribute ends in `:*`, which covers its log streams.
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
        ...(statements.length > 0 ? { access: new PolicyDocument({ statements }) } : {}),
      },
    });
    if (def.access.sendEmail) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
        reason:
          'ses:SendEmail is authorised on the sending identity (domain or address of EMAIL_FROM), which is ' +
          'verified in SES per deployment, outside this stack; the wildcard covers only SES identities of ' +
          'this account and region, and only the send actions.',
      });
    }

    const environment: Record<string, string> = {
      TABLE_NAME: this.table.tableName,
      EVENT_BUS_NAME: this.bus.eventBusName,
      POWERTOOLS_SERVICE_NAME: 'nimbus',
      ...(def.access.sendEmail ? { EMAIL_FROM: emailFrom } : {}),
      ...(def.access.paymentKeys && this.paymentKeys
        ? { PAYMENTS_DATA_KEYS_SECRET_ARN: this.paymentKeys.secretArn }
        : {}),
    };
    for (const name of queuesUsedBy(topology, def)) {
      environment[queueUrlEnvName(name)] = this.queue(name, `function ${def.name}`).queueUrl;
    }

    const fn = new NodejsFunction(this, id, {
      functionName,
      description: `${def.context}: ${def.name}`,
      entry: isAbsolute(def.entry) ? def.entry : join(repoRoot, def.entry),
      handler: def.handler ?? 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: def.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(def.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      role,
      logGroup,
      environment,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      bundling: {
        format: lambdaBundling.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: lambdaBundling.target,
        minify: lambdaBundling.minify,
        externalModules: lambdaBundling.external,
        mainFields: lambdaBundling.mainFields,
        banner: lambdaBundling.banner,
        // No source maps: they would need NODE_OPTIONS=--enable-source-maps and weigh on cold starts.
        sourceMap: false,
      },
    });
    this.functions.set(def.name, fn);
  }

  private connectConsumer(topology: Topology, def: Topology['queues'][number]): void {
    const fnDef = topology.functions.find((f) => f.name === def.consumer.function);
    const timeout = fnDef?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    if (def.visibilityTimeoutSeconds < timeout) {
      throw new Error(
        `Queue ${def.name}: visibility timeout ${def.visibilityTimeoutSeconds}s is shorter than the timeout ` +
          `of its consumer ${def.consumer.function} (${timeout}s); Lambda rejects such a mapping`,
      );
    }
    const fn = this.fn(def.consumer.function, `queue ${def.name}`);
    fn.addEventSource(
      new SqsEventSource(this.queue(def.name, `queue ${def.name}`), {
        batchSize: def.consumer.batchSize,
        ...(def.consumer.maxBatchingWindowSeconds !== undefined
          ? { maxBatchingWindow: Duration.seconds(def.consumer.maxBatchingWindowSeconds) }
          : {}),
        ...(def.consumer.maxConcurrency !== undefined ? { maxConcurrency: def.consumer.maxConcurrency } : {}),
        reportBatchItemFailures: true,
      }),
    );
  }

  private createHttpApi(topology: Topology): HttpApi {
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-api`,
      description: `${topology.app} HTTP API (served to browsers through CloudFront under /api/*)`,
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            userAgent: '$context.identity.userAgent',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of topology.routes) {
      const { operation } = route;
      let integration = integrations.get(route.function);
      if (!integration) {
        const fn = this.fn(route.function, `route ${operation.operationId}`);
        // One invoke permission per function for the whole API, not one per route: ~110 routes
        // would otherwise take a fifth of CloudFormation's 500 resources a stack.
        integration = new HttpLambdaIntegration(`${pascal(route.function)}Integration`, fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(route.function, integration);
      }
      api.addRoutes({ path: operation.path, methods: [HttpMethod[operation.method]], integration });
    }

    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Authorization happens inside the handlers (sessions and API keys, per operation `access`), ' +
        'not in API Gateway; public operations such as health and the storefront need none.',
    });
    return api;
  }

  private createRules(topology: Topology, deliveryDlq: Queue): void {
    for (const def of topology.rules) {
      const rule = new Rule(this, `${pascal(def.name)}Rule`, {
        ruleName: maxLength('rule name', def.name, 64),
        description: def.description,
        eventBus: this.bus,
        eventPattern: toL2EventPattern(def.pattern),
      });
      for (const target of def.targets) {
        rule.addTarget(
          target.kind === 'queue'
            ? new SqsQueueTarget(this.queue(target.queue, `rule ${def.name}`), {
                deadLetterQueue: deliveryDlq,
              })
            : new LambdaFunctionTarget(this.fn(target.function, `rule ${def.name}`), {
                deadLetterQueue: deliveryDlq,
              }),
        );
      }
    }
  }

  private createSchedules(topology: Topology, deliveryDlq: Queue): void {
    for (const def of topology.schedules) {
      const id = pascal(def.name);
      const fn = this.fn(def.function, `schedule ${def.name}`);
      const role = new Role(this, `${id}SchedulerRole`, {
        description: `Lets EventBridge Scheduler invoke ${fn.node.id} for the ${def.name} schedule`,
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      });
      new Schedule(this, `${id}Schedule`, {
        scheduleName: maxLength('schedule name', `${this.stackName}-${def.name}`, 64),
        description: def.description,
        // cron() and at() are evaluated in UTC, as the local scheduler does (rate() ignores the zone).
        schedule: ScheduleExpression.expression(def.expression, TimeZone.ETC_UTC),
        target: new LambdaInvoke(fn, {
          role,
          deadLetterQueue: deliveryDlq,
          // The same payload the local runtime sends (functions/src/events/scheduled-handler.ts).
          input: ScheduleTargetInput.fromObject({
            schedule: def.name,
            scheduledTime: ContextAttribute.scheduledTime,
          }),
        }),
      });
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason:
          'grantInvoke adds `<function ARN>:*` (versions and aliases of this one function) next to the ' +
          'function ARN; the wildcard never reaches another function.',
      });
    }
  }

  private createWeb(props: NimbusStackProps): Distribution {
    const webAssetPath = resolve(props.webAssetPath ?? join(props.repoRoot ?? REPO_ROOT, 'web/build'));
    if (!existsSync(webAssetPath)) {
      throw new Error(
        `The web build is missing at ${webAssetPath}: build the web app first (npm run deploy does), ` +
          'or pass -c webAssetPath=<dir>',
      );
    }
    if (!existsSync(join(webAssetPath, SPA_FALLBACK))) {
      Annotations.of(this).addWarningV2(
        'nimbus:spaFallbackMissing',
        `${webAssetPath} has no ${SPA_FALLBACK.slice(1)}: deep links will fail (adapter-static fallback: '200.html')`,
      );
    }

    const logsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes with ACLs, so the bucket cannot enforce bucket-owner-only.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const siteBucket = new Bucket(this, 'SiteBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logsBucket,
      serverAccessLogsPrefix: 's3/site/',
      // Only build output lives here: it is re-deployed from the repository, so it goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
      throw new Error(
        'A custom domain needs both domainName and certificateArn (an ACM certificate in us-east-1)',
      );
    }
    if (props.certificateArn && !Token.isUnresolved(props.certificateArn)) {
      if (!props.certificateArn.includes(':us-east-1:')) {
        throw new Error(`CloudFront needs its ACM certificate in us-east-1, got ${props.certificateArn}`);
      }
    }
    const customDomain =
      props.domainName && props.certificateArn
        ? {
            domainNames: [props.domainName],
            certificate: Certificate.fromCertificateArn(this, 'SiteCertificate', props.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {};

    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      comment: `Client-side routes get ${SPA_FALLBACK} (the adapter-static shell)`,
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_FALLBACK_FUNCTION),
    });
    const apiDomain = `${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const distribution = new Distribution(this, 'Distribution', {
      comment: `${this.stackName} web app and API`,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...customDomain,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(siteBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        compress: true,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(apiDomain, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
      // No errorResponses: CloudFront applies them to every behaviour, so they would turn the API's
      // 403 / 404 JSON into `200 + 200.html`. The SPA fallback is the viewer-request function above.
      enableLogging: true,
      logBucket: logsBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The store sells worldwide; geo restriction is a per-merchant business decision, not a default.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'AWS WAF is out of scope for the foundation (cost per web ACL and rule); the HTTP API stage ' +
          'throttles requests. Add a web ACL before production traffic.',
      },
    );
    if (!props.domainName) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose ' +
          'minimum protocol CloudFront fixes at TLSv1; with -c domainName/certificateArn it is TLSv1.2_2021.',
      });
    }

    const deploymentLogs = new LogGroup(this, 'SiteDeploymentLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const deployment = new BucketDeployment(this, 'SiteDeployment', {
      sources: [Source.asset(webAssetPath)],
      destinationBucket: siteBucket,
      distribution,
      distributionPaths: ['/*'],
      logGroup: deploymentLogs,
      memoryLimit: 512,
    });
    this.acknowledgeBucketDeployment(deployment, siteBucket);
    return distribution;
  }

  /** The BucketDeployment's singleton handler is generated by aws-cdk-lib; we cannot shape its role. */
  private acknowledgeBucketDeployment(deployment: BucketDeployment, siteBucket: Bucket): void {
    const handler = deployment.handlerRole.node.scope;
    if (!handler) return;
    const managed = 'CDK-managed BucketDeployment handler (aws-cdk-lib/aws-s3-deployment)';
    const siteBucketId = this.getLogicalId(siteBucket.node.defaultChild as CfnElement);
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${managed}: aws-cdk-lib attaches the basic execution managed policy to its role.`,
      },
      {
        id: 'AwsSolutions-L1',
        reason: `${managed}: aws-cdk-lib pins the Python runtime of its handler.`,
      },
      ...[
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        `Resource::<${siteBucketId}.Arn>/*`,
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      ].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          `${managed}: it reads the web build from the CDK asset bucket and syncs (put / delete) objects ` +
          'of the site bucket only; the wildcards are object keys and action-name prefixes of those grants.',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          `${managed}: cloudfront:CreateInvalidation / GetInvalidation, to invalidate the distribution ` +
          'after each deployment; aws-cdk-lib grants them on "*".',
      },
    );
  }

  private fn(name: string, usedBy: string): NodejsFunction {
    const fn = this.functions.get(name);
    if (!fn) throw new Error(`Topology: ${usedBy} refers to unknown function ${name}`);
    return fn;
  }

  private queue(name: string, usedBy: string): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Topology: ${usedBy} refers to unknown queue ${name}`);
    return queue;
  }
}

/** Queues whose URL a function receives: the ones it sends to, inspects or consumes. */
export function queuesUsedBy(topology: Topology, fn: FunctionDef): string[] {
  const consumed = topology.queues.filter((q) => q.consumer.function === fn.name).map((q) => q.name);
  return [...new Set([...(fn.access.sendTo ?? []), ...(fn.access.inspect ?? []), ...consumed])];
}

/**
 * The topology holds raw EventBridge JSON (`detail-type`, ...); the L2 Rule takes camelCase
 * `detailType` and passes every other key through unchanged when it renders the pattern.
 */
export function toL2EventPattern(pattern: EventPattern): L2EventPattern {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) out[key === 'detail-type' ? 'detailType' : key] = value;
  return out as L2EventPattern;
}

/** Fails synth with a readable message instead of a CloudFormation error at deploy time. */
export function validateTopology(topology: Topology): void {
  const duplicates = (kind: string, names: string[]) => {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new Error(`Topology: duplicate ${kind} ${name}`);
      seen.add(name);
    }
  };
  duplicates(
    'function',
    topology.functions.map((f) => f.name),
  );
  duplicates('queue', [
    ...topology.queues.map((q) => q.name),
    ...topology.queues.map((q) => deadLetterQueueName(q.name)),
  ]);
  duplicates(
    'rule',
    topology.rules.map((r) => r.name),
  );
  duplicates(
    'schedule',
    topology.schedules.map((s) => s.name),
  );
  duplicates(
    'route',
    topology.routes.map((r) => `${r.operation.method} ${r.operation.path}`),
  );
  for (const schedule of topology.schedules) {
    if (!/^(rate|cron|at)\(.+\)$/.test(schedule.expression)) {
      throw new Error(`Topology: schedule ${schedule.name} has an invalid expression ${schedule.expression}`);
    }
  }
}

/** Physical names are checked at synth, not by a failed deployment. */
function maxLength(kind: string, name: string, max: number): string {
  if (name.length > max) throw new Error(`The ${kind} ${name} is longer than ${max} characters`);
  return name;
}

/** `heartbeat-to-queue` / `getHealth` → `HeartbeatToQueue` / `GetHealth` (construct ids). */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
