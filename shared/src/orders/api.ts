import * as z from 'zod';
import { defineOperation } from '../http/operation.ts';
import { pageOf, pageQuery } from '../http/paging.ts';
import type { Grant } from '../identity/access.ts';
import { storeParams } from '../tenants/api.ts';
import { CheckoutRequest, OrderId, OrderStatus, OrderView } from './order.ts';

const tags = ['orders'];

export const READ_ORDERS: Grant[] = [
  { kind: 'buyer', permission: 'orders:create' },
  { kind: 'buyer', permission: 'finance:view' },
  { kind: 'staff', permission: 'orders:read' },
  { kind: 'apiKey', scope: 'orders:create' },
  { kind: 'apiKey', scope: 'orders:read' },
];

export const checkout = defineOperation({
  operationId: 'checkout',
  method: 'POST',
  path: '/api/v1/stores/{store}/checkout',
  summary: 'Order the basket: checked again, priced, paid with credits, card or invoice',
  description:
    'Send an `Idempotency-Key`: a retried request returns the first order. The basket must be ' +
    'ready (409 `basket_not_ready` with its issues otherwise). Credits: the wallet must hold the ' +
    'setup fees plus the store’s minimum runway at the ordered rate (409 `insufficient_credits` ' +
    'says how much is missing). Card: the order waits for payment (`pending_payment`) at ' +
    '`payment.checkoutUrl`, where the setup fees and their VAT are charged; 409 ' +
    '`payment_method_unavailable` when the store has no Stripe account. Invoice: paid on account at ' +
    'once, for customers the merchant allows (409 `payment_method_unavailable` otherwise).',
  tags,
  access: [
    { kind: 'buyer', permission: 'orders:create' },
    { kind: 'apiKey', scope: 'orders:create' },
  ],
  idempotent: true,
  request: { params: storeParams, body: CheckoutRequest },
  responses: { 201: OrderView },
});

export const getOrder = defineOperation({
  operationId: 'getOrder',
  method: 'GET',
  path: '/api/v1/stores/{store}/orders/{orderId}',
  summary: 'An order with its items, payment and the services it created',
  tags,
  access: READ_ORDERS,
  request: { params: storeParams.extend({ orderId: OrderId }) },
  responses: { 200: OrderView },
});

export const listOrders = defineOperation({
  operationId: 'listOrders',
  method: 'GET',
  path: '/api/v1/stores/{store}/orders',
  summary: 'Orders, newest first: the buyer’s own, or (staff) any customer’s',
  tags,
  access: READ_ORDERS,
  request: {
    params: storeParams,
    query: pageQuery.extend({
      status: OrderStatus.optional(),
      /** Staff only: one customer's orders. */
      customerId: z.string().max(64).optional(),
    }),
  },
  responses: { 200: pageOf(OrderView) },
});
