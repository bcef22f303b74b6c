import {
  listServiceTriggers,
  listTriggerFirings,
  listTriggerPolicies,
  setServiceTrigger,
  upsertTriggerPolicy,
} from '#shared/triggers/api.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { routes } from '../../http/router.ts';
import { tableAuthenticator } from '../../identity/table-identity.ts';
import * as policies from '../policies.ts';
import * as services from '../service-triggers.ts';
import { tableTriggers } from '../table-triggers.ts';

const options = { authenticator: tableAuthenticator };

/** Capacity triggers: the merchant's policies, a service's triggers and their firings. */
export const handler = routes(
  [
    listTriggerPolicies,
    httpHandler(
      listTriggerPolicies,
      async ({ tenant, query }) =>
        ok(await policies.listTriggerPolicies(tableTriggers().policies, tenant, query)),
      options,
    ),
  ],
  [
    upsertTriggerPolicy,
    httpHandler(
      upsertTriggerPolicy,
      async ({ tenant, body }) => {
        const outcome = await policies.upsertTriggerPolicy(tableTriggers().policies, tenant, body);
        return outcome.created ? created(outcome.policy) : ok(outcome.policy);
      },
      options,
    ),
  ],
  [
    listServiceTriggers,
    httpHandler(
      listServiceTriggers,
      async ({ tenant, principal, params }) =>
        ok(
          await services.listServiceTriggers(
            tableTriggers().serviceTriggers,
            tenant,
            principal,
            params.subscriptionId,
          ),
        ),
      options,
    ),
  ],
  [
    setServiceTrigger,
    httpHandler(
      setServiceTrigger,
      async ({ tenant, principal, params, body }) =>
        ok(
          await services.setServiceTrigger(
            tableTriggers().serviceTriggers,
            tenant,
            principal,
            params.subscriptionId,
            params.policyId,
            body,
          ),
        ),
      options,
    ),
  ],
  [
    listTriggerFirings,
    httpHandler(
      listTriggerFirings,
      async ({ tenant, principal, params, query }) =>
        ok(
          await services.listTriggerFirings(
            tableTriggers().serviceTriggers,
            tenant,
            principal,
            params.subscriptionId,
            query,
          ),
        ),
      options,
    ),
  ],
);
