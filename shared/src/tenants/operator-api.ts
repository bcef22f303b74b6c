import * as z from 'zod';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import type { Grant } from '../identity/access.ts';
import { Email } from '../identity/api.ts';
import { StoreSlug } from './api.ts';

const tags = ['operator'];
const operatorOnly: Grant[] = [{ kind: 'operator' }];
const TenantId = z.string().regex(/^ten_[0-9a-z]{26}$/, 'must be a ten_… id');

export const TenantView = z
  .object({
    id: z.string(),
    slug: StoreSlug,
    name: z.string(),
    status: z.enum(['active', 'suspended']),
    defaultCurrency: z.string(),
    defaultLanguage: z.string(),
    signupMode: z.enum(['open', 'application', 'invite_only']),
    customDomain: z.string().optional(),
    sandbox: z.boolean().optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });

const Hostname = z
  .string()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a hostname like shop.example.com',
  );

export const operatorLogin = defineOperation({
  operationId: 'operatorLogin',
  method: 'POST',
  path: '/api/v1/operator/auth/login',
  summary: 'Sign in as a platform operator',
  tags,
  access: PUBLIC,
  request: { body: z.object({ email: Email, password: z.string().min(1).max(256) }).strict() },
  responses: { 200: z.object({ operatorId: z.string(), email: z.string(), expiresAt: z.iso.datetime() }) },
});

export const operatorLogout = defineOperation({
  operationId: 'operatorLogout',
  method: 'POST',
  path: '/api/v1/operator/auth/logout',
  summary: 'End the operator session',
  tags,
  access: operatorOnly,
  responses: { 204: null },
});

export const createTenant = defineOperation({
  operationId: 'createTenant',
  method: 'POST',
  path: '/api/v1/operator/tenants',
  summary: 'Create a tenant with its storefront; its owner gets an invitation email',
  tags,
  access: operatorOnly,
  idempotent: true,
  request: {
    body: z
      .object({
        name: z.string().trim().min(1).max(120),
        slug: StoreSlug,
        defaultCurrency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. EUR'),
        defaultLanguage: z
          .string()
          .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'e.g. en or de-DE')
          .default('en'),
        signupMode: z.enum(['open', 'application', 'invite_only']).default('open'),
        ownerEmail: Email,
        /** A sandbox store (demo, trial) has a test clock its staff can move forward. */
        sandbox: z.boolean().default(false),
      })
      .strict(),
  },
  responses: { 201: TenantView },
});

export const listTenants = defineOperation({
  operationId: 'listTenants',
  method: 'GET',
  path: '/api/v1/operator/tenants',
  summary: 'Every tenant of the platform',
  tags,
  access: operatorOnly,
  responses: { 200: z.object({ items: z.array(TenantView) }) },
});

export const updateTenant = defineOperation({
  operationId: 'updateTenant',
  method: 'PATCH',
  path: '/api/v1/operator/tenants/{tenantId}',
  summary: 'Suspend or reactivate a tenant, change its slug, custom domain, name or signup mode',
  tags,
  access: operatorOnly,
  request: {
    params: z.object({ tenantId: TenantId }),
    body: z
      .object({
        status: z.enum(['active', 'suspended']).optional(),
        slug: StoreSlug.optional(),
        customDomain: Hostname.nullable().optional(),
        name: z.string().trim().min(1).max(120).optional(),
        signupMode: z.enum(['open', 'application', 'invite_only']).optional(),
      })
      .strict()
      .refine((body) => Object.keys(body).length > 0, 'name at least one field to change'),
  },
  responses: { 200: TenantView },
});
