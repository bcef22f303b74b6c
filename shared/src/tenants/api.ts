import * as z from 'zod';
import { defineOperation, PUBLIC } from '../http/operation.ts';

export const StoreSlug = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens')
  .meta({ id: 'StoreSlug', example: 'demo' });

/** Path parameters of every operation under `/api/v1/stores/{store}`. */
export const storeParams = z.object({ store: StoreSlug });

export const Storefront = z
  .object({
    slug: StoreSlug,
    name: z.string(),
    defaultCurrency: z.string().length(3),
    defaultLanguage: z.string(),
  })
  .meta({ id: 'Storefront' });
export type Storefront = z.infer<typeof Storefront>;

export const getStorefront = defineOperation({
  operationId: 'getStorefront',
  method: 'GET',
  path: '/api/v1/stores/{store}',
  summary: 'Public facts of one storefront',
  tags: ['storefront'],
  access: PUBLIC,
  request: { params: storeParams },
  responses: { 200: Storefront },
});

export const getStorefrontByDomain = defineOperation({
  operationId: 'getStorefrontByDomain',
  method: 'GET',
  path: '/api/v1/storefronts/by-domain/{host}',
  summary: 'The store a custom domain serves (the web app asks with its own hostname)',
  tags: ['storefront'],
  access: PUBLIC,
  request: {
    params: z.object({
      host: z
        .string()
        .toLowerCase()
        .max(253)
        .regex(
          /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'must be a hostname like shop.example.com',
        ),
    }),
  },
  responses: { 200: Storefront },
});
