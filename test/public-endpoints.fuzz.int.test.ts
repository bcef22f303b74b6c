/**
 * Fuzzes every public endpoint with generated bodies (about 4,000 cases): whatever arrives, the
 * answer is never a 5xx and every error has the one error shape.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '#shared/http/error-body.ts';
import { isPublic } from '#shared/identity/access.ts';
import { type LocalRuntime, startLocalRuntime } from '../infra/local/runtime.ts';
import { nimbus } from '../infra/topology/nimbus.ts';
import { apiEvent } from './support/api-event.ts';
import { serviceEndpoints, uniqueName } from './support/services.ts';

const RUNS_PER_ENDPOINT = 600;

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    services: serviceEndpoints(),
    namePrefix: uniqueName('fuzz'),
    webRoot: null,
    seed: true,
    runSchedules: false,
    quiet: true,
  });
});
afterAll(() => runtime?.stop());

const anyValue = fc.oneof(
  fc.string(),
  fc.emailAddress(),
  fc.constantFrom('buyer@demo.test', 'merchant@demo.test', 'operator@nimbus.test'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

/** Bodies shaped like the real ones, with every field possibly wrong, missing or extra. */
const plausibleBody = fc.record(
  {
    email: anyValue,
    password: fc.oneof(anyValue, fc.string({ minLength: 12, maxLength: 40 })),
    token: anyValue,
    name: anyValue,
    type: fc.oneof(fc.constantFrom('person', 'company'), anyValue),
    country: fc.oneof(fc.constantFrom('DE', 'FR', 'de'), anyValue),
    companyName: anyValue,
    vatId: anyValue,
    message: anyValue,
    extra: anyValue,
  },
  { requiredKeys: [] },
);

/** Either a right value or anything at all: so that many bodies get past validation into the use case. */
const mostly = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: right, weight: 4 }, { arbitrary: anyValue, weight: 1 });
const email = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('buyer@demo.test', 'merchant@demo.test', 'operator@nimbus.test'),
);
const password = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constant('nimbus-demo-password'));
const token = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }),
  fc.base64String({ minLength: 43, maxLength: 44 }),
);

/** Bodies of the right shape per operation, each field sometimes wrong. */
const wellFormed: Record<string, fc.Arbitrary<unknown>> = {
  // Unsigned: every one must be a 4xx (the signature is checked before anything is read).
  provisioningCallback: fc.record({
    id: mostly(fc.string({ minLength: 1, maxLength: 20 })),
    subscriptionId: mostly(fc.constantFrom('sub_01jd2x8k3m4n5p6q7r8s9t0v1w', 'sub_x')),
    type: mostly(fc.constantFrom('activated', 'failed', 'state_changed')),
    occurredAt: mostly(fc.date({ noInvalidDate: true }).map((date) => date.toISOString())),
    state: mostly(fc.constantFrom('active', 'stopped')),
    reason: mostly(fc.string({ maxLength: 50 })),
  }),
  login: fc.record({ email: mostly(email), password: mostly(password) }),
  operatorLogin: fc.record({ email: mostly(email), password: mostly(password) }),
  requestPasswordReset: fc.record({ email: mostly(email) }),
  verifyEmail: fc.record({ token: mostly(token) }),
  resetPassword: fc.record({
    token: mostly(token),
    password: mostly(fc.string({ minLength: 12, maxLength: 40 })),
  }),
  acceptInvitation: fc.record({
    token: mostly(token),
    name: mostly(fc.string({ minLength: 1, maxLength: 40 })),
    password: mostly(fc.string({ minLength: 12, maxLength: 40 })),
  }),
  registerCustomer: fc.oneof(
    fc.record({
      type: fc.constant('person'),
      name: mostly(fc.string({ minLength: 1, maxLength: 40 })),
      email: mostly(email),
      password: mostly(fc.string({ minLength: 12, maxLength: 40 })),
      country: mostly(fc.constantFrom('DE', 'FR', 'GB')),
    }),
    fc.record(
      {
        type: fc.constant('company'),
        companyName: mostly(fc.string({ minLength: 1, maxLength: 40 })),
        vatId: mostly(fc.string({ maxLength: 20 })),
        country: mostly(fc.constantFrom('DE', 'FR', 'GB')),
        name: mostly(fc.string({ minLength: 1, maxLength: 40 })),
        email: mostly(email),
        password: mostly(fc.string({ minLength: 12, maxLength: 40 })),
        message: mostly(fc.string({ maxLength: 200 })),
      },
      { requiredKeys: ['type', 'companyName', 'country', 'name', 'email', 'password'] },
    ),
  ),
};

const bodyFor = (operationId: string) =>
  fc.oneof(
    {
      arbitrary: (wellFormed[operationId] ?? plausibleBody).map((value) => JSON.stringify(value)),
      weight: 6,
    },
    { arbitrary: plausibleBody.map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: fc.string(), weight: 1 },
    { arbitrary: plausibleBody.map((value) => JSON.stringify(value).slice(0, -1)), weight: 1 }, // truncated JSON
  );
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 9 },
  { arbitrary: fc.constantFrom('text/plain', ''), weight: 1 },
);

const publicRoutes = nimbus.routes.filter(
  ({ operation }) => isPublic(operation.access) && operation.method !== 'GET',
);

describe('fuzzing public endpoints', () => {
  it('covers every public write', () => {
    expect(publicRoutes.map((route) => route.operation.operationId).sort()).toEqual(
      [
        'acceptInvitation',
        'addBasketItem',
        'login',
        'operatorLogin',
        'registerCustomer',
        'requestPasswordReset',
        'resetPassword',
        'verifyEmail',
        'quoteConfiguration',
        'updateBasketItem',
        'removeBasketItem',
        'validateBasket',
        'stripeWebhook',
        'provisioningCallback',
      ].sort(),
    );
  });

  for (const { operation, function: functionName } of publicRoutes) {
    it(`${operation.operationId}: never a 5xx, always the error shape`, async () => {
      const path = operation.path.replace('{store}', 'demo');
      await fc.assert(
        fc.asyncProperty(bodyFor(operation.operationId), contentType, async (text, type) => {
          const event = apiEvent({
            method: operation.method,
            path,
            routeKey: `${operation.method} ${operation.path}`,
            pathParameters: operation.path.includes('{store}') ? { store: 'demo' } : {},
            headers: type ? { 'content-type': type } : {},
            body: text,
          });
          const result = (await runtime.functions.invoke(
            functionName,
            event,
          )) as APIGatewayProxyStructuredResultV2;
          const status = result.statusCode ?? 200;
          expect(status, result.body).toBeLessThan(500);
          if (status >= 400) expect(() => ErrorBody.parse(JSON.parse(result.body ?? ''))).not.toThrow();
        }),
        { numRuns: RUNS_PER_ENDPOINT },
      );
    }, 120_000);
  }
});
