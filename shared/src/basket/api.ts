import * as z from 'zod';
import { MANAGE_CATALOG, READ_CATALOG } from '../catalog/api.ts';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import {
  BasketIssue,
  BasketItemChange,
  BasketItemId,
  BasketItemRequest,
  BasketRule,
  BasketView,
} from './basket.ts';

const tags = ['basket'];
const adminTags = ['catalog admin'];
const itemParams = storeParams.extend({ itemId: BasketItemId });

/**
 * The basket operations are public: visitors have baskets too. Said in every basket operation's
 * description, since OpenAPI has no place for a header like this otherwise. Merchant staff have
 * no basket (403 `no_basket`).
 */
const visitorNote =
  'A visitor (no session) sends the `Basket-Token` header the first write returned; a signed-in ' +
  "buyer who still sends it has the visitor's items merged into their basket.";

export const getBasket = defineOperation({
  operationId: 'getBasket',
  method: 'GET',
  path: '/api/v1/stores/{store}/basket',
  summary: 'The basket, re-quoted and checked: items, totals, issues, price changes',
  description: visitorNote,
  tags,
  access: PUBLIC,
  request: { params: storeParams },
  responses: { 200: BasketView },
});

export const addBasketItem = defineOperation({
  operationId: 'addBasketItem',
  method: 'POST',
  path: '/api/v1/stores/{store}/basket/items',
  summary: 'Add a configured product; the configuration must be valid for the product (400 otherwise)',
  description:
    'Rules may still report issues (an error blocks checkout, not adding): they come back in `issues`.' +
    ` ${visitorNote}`,
  tags,
  access: PUBLIC,
  idempotent: true,
  request: { params: storeParams, body: BasketItemRequest },
  responses: { 201: BasketView },
});

export const updateBasketItem = defineOperation({
  operationId: 'updateBasketItem',
  method: 'PATCH',
  path: '/api/v1/stores/{store}/basket/items/{itemId}',
  summary: "Change an item's configuration, inputs or quantity, or accept its new price",
  description: visitorNote,
  tags,
  access: PUBLIC,
  request: { params: itemParams, body: BasketItemChange },
  responses: { 200: BasketView },
});

export const removeBasketItem = defineOperation({
  operationId: 'removeBasketItem',
  method: 'DELETE',
  path: '/api/v1/stores/{store}/basket/items/{itemId}',
  summary: 'Remove an item',
  description: visitorNote,
  tags,
  access: PUBLIC,
  request: { params: itemParams },
  responses: { 200: BasketView },
});

export const validateBasket = defineOperation({
  operationId: 'validateBasket',
  method: 'POST',
  path: '/api/v1/stores/{store}/basket/validate',
  summary: 'Check the basket as checkout will: re-quote, run every rule and built-in check',
  description:
    'Domain availability is asked of the registrar here (not on every change). `ready` says whether ' +
    'checkout may proceed: no errors and no price change the buyer has not accepted.' +
    ` ${visitorNote}`,
  tags,
  access: PUBLIC,
  request: { params: storeParams },
  responses: { 200: BasketView },
});

export const listBasketRules = defineOperation({
  operationId: 'listBasketRules',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/basket-rules',
  summary: "The merchant's basket rules",
  tags: adminTags,
  access: READ_CATALOG,
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(BasketRule) }) },
});

export const upsertBasketRule = defineOperation({
  operationId: 'upsertBasketRule',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/basket-rules/{ruleId}',
  summary: 'Create or change a basket rule',
  description: 'Expressions are parsed on save: a 400 names the field and the position of a mistake.',
  tags: adminTags,
  access: MANAGE_CATALOG,
  request: {
    params: storeParams.extend({ ruleId: BasketRule.shape.id }),
    body: BasketRule.omit({ id: true }),
  },
  responses: { 200: BasketRule },
});

export const testBasketRule = defineOperation({
  operationId: 'testBasketRule',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/basket-rules/test',
  summary: 'Try a rule (saved or not) on a sample basket and see what it reports',
  tags: adminTags,
  access: MANAGE_CATALOG,
  request: {
    params: storeParams,
    body: z
      .object({
        rule: BasketRule,
        items: z.array(BasketItemRequest).min(1).max(20),
        /** Users in the sample buyer's account (`account.users`). */
        accountUsers: z.number().int().min(0).max(10_000).default(1),
      })
      .strict(),
  },
  responses: {
    200: z.object({
      /** The sample items, with the ids the issues refer to. */
      items: z.array(z.object({ id: z.string(), product: z.string() })),
      issues: z.array(BasketIssue),
    }),
  },
});
