import {
  advanceTestClock,
  getBillingSettings,
  getTestClock,
  updateBillingSettings,
} from '#shared/billing/api.ts';
import { httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import { tableBilling } from '../table-billing.ts';
import * as clocks from '../test-clock.ts';

const options = { authenticator: tableAuthenticator };

/** Billing settings and the sandbox test clock. */
export const handler = routes(
  [
    getBillingSettings,
    httpHandler(
      getBillingSettings,
      async ({ tenant }) => ok(await tableBilling().billingSettings(tenant.id)),
      options,
    ),
  ],
  [
    updateBillingSettings,
    httpHandler(
      updateBillingSettings,
      async ({ tenant, body }) => {
        await tableBilling().saveBillingSettings(tenant.id, body);
        return ok(body);
      },
      options,
    ),
  ],
  [
    getTestClock,
    httpHandler(
      getTestClock,
      async ({ tenant }) => ok(await clocks.getTestClock(tableBilling().testClock, tenant)),
      options,
    ),
  ],
  [
    advanceTestClock,
    httpHandler(
      advanceTestClock,
      async ({ tenant, body }) => ({
        status: 202,
        body: await clocks.advanceTestClock(tableBilling().testClock, tenant, body),
      }),
      options,
    ),
  ],
);
