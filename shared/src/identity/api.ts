import * as z from 'zod';
import { defineOperation, PUBLIC } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import type { Grant } from './access.ts';
import {
  BUYER_PERMISSIONS,
  CUSTOMER_KEY_SCOPES,
  MERCHANT_KEY_SCOPES,
  STAFF_PERMISSIONS,
} from './permissions.ts';

const tags = ['identity'];

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email('must be an email address'))
  .meta({ id: 'Email', example: 'buyer@demo.test' });

/** Long passphrases welcome; bcrypt-style 72-byte limits do not apply to scrypt. */
export const NewPassword = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters')
  .meta({ id: 'NewPassword' });

const Password = z.string().min(1, 'is required').max(256);
const Id = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `must be a ${prefix}_… id`);

export const SessionView = z
  .object({
    principal: z.enum(['staff', 'buyer', 'operator']),
    tenantId: z.string().optional(),
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    customerId: z.string().optional(),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()),
    impersonatedBy: z.object({ userId: z.string(), email: z.string() }).optional(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof SessionView>;

export const SessionSummary = z
  .object({
    id: z.string(),
    current: z.boolean(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    userAgent: z.string().optional(),
    ip: z.string().optional(),
    impersonatedBy: z.object({ userId: z.string(), email: z.string() }).optional(),
  })
  .meta({ id: 'SessionSummary' });

const signedIn: Grant[] = [{ kind: 'staff' }, { kind: 'buyer' }];

export const login = defineOperation({
  operationId: 'login',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/login',
  summary: 'Sign in to a store with email and password',
  description:
    'Sets an httpOnly session cookie (a fresh session id every time: no fixation). Failed attempts are ' +
    'throttled per account and per IP address; over the limit the answer is 429 with Retry-After.',
  tags,
  access: PUBLIC,
  request: { params: storeParams, body: z.object({ email: Email, password: Password }).strict() },
  responses: { 200: SessionView },
});

export const logout = defineOperation({
  operationId: 'logout',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/logout',
  summary: 'End the current session',
  tags,
  access: signedIn,
  request: { params: storeParams },
  responses: { 204: null },
});

export const getSession = defineOperation({
  operationId: 'getSession',
  method: 'GET',
  path: '/api/v1/stores/{store}/auth/session',
  summary: 'Who is signed in, with which permissions',
  tags,
  access: signedIn,
  request: { params: storeParams },
  responses: { 200: SessionView },
});

export const listSessions = defineOperation({
  operationId: 'listSessions',
  method: 'GET',
  path: '/api/v1/stores/{store}/auth/sessions',
  summary: "The signed-in user's sessions, including staff acting on their behalf",
  tags,
  access: signedIn,
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(SessionSummary) }) },
});

export const revokeSession = defineOperation({
  operationId: 'revokeSession',
  method: 'DELETE',
  path: '/api/v1/stores/{store}/auth/sessions/{sessionId}',
  summary: 'Sign out one of your sessions',
  tags,
  access: signedIn,
  request: { params: storeParams.extend({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }) },
  responses: { 204: null },
});

export const requestPasswordReset = defineOperation({
  operationId: 'requestPasswordReset',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/password-reset',
  summary: 'Email a password reset link',
  description:
    'Always 202, whether or not the email belongs to an account, so accounts cannot be discovered.',
  tags,
  access: PUBLIC,
  request: { params: storeParams, body: z.object({ email: Email }).strict() },
  responses: { 202: null },
});

export const resetPassword = defineOperation({
  operationId: 'resetPassword',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/password-reset/confirm',
  summary: 'Set a new password with the token from the reset link; signs out every session',
  tags,
  access: PUBLIC,
  request: {
    params: storeParams,
    body: z.object({ token: z.string().min(1).max(200), password: NewPassword }).strict(),
  },
  responses: { 204: null },
});

export const verifyEmail = defineOperation({
  operationId: 'verifyEmail',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/email-verification',
  summary: 'Confirm an email address with the token from the verification link',
  tags,
  access: PUBLIC,
  request: { params: storeParams, body: z.object({ token: z.string().min(1).max(200) }).strict() },
  responses: { 204: null },
});

export const CustomerRegistration = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('person'),
        name: z.string().trim().min(1).max(200),
        email: Email,
        password: NewPassword,
        country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, e.g. DE'),
      })
      .strict(),
    z
      .object({
        type: z.literal('company'),
        companyName: z.string().trim().min(1).max(200),
        vatId: z.string().trim().max(20).optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, e.g. DE'),
        name: z.string().trim().min(1).max(200),
        email: Email,
        password: NewPassword,
        message: z.string().max(2000).optional(),
      })
      .strict(),
  ])
  .meta({ id: 'CustomerRegistration' });

export const RegistrationResult = z
  .object({
    customerId: z.string(),
    status: z.enum(['active', 'pending_approval']),
    next: z.enum(['verify_email', 'await_approval']),
  })
  .meta({ id: 'RegistrationResult' });

export const registerCustomer = defineOperation({
  operationId: 'registerCustomer',
  method: 'POST',
  path: '/api/v1/stores/{store}/customers',
  summary: 'Sign up as a buyer (person or company), as the store allows',
  description:
    "Depends on the store's signup mode: open → account created, email verification sent (201); " +
    'application → the merchant approves or rejects, no access before (202); invite-only → 403.',
  tags,
  access: PUBLIC,
  idempotent: true,
  request: { params: storeParams, body: CustomerRegistration },
  responses: { 201: RegistrationResult, 202: RegistrationResult },
});

export const ApiKeyView = z
  .object({
    id: z.string(),
    prefix: z.string().meta({ description: 'Identifies the key in lists and logs; not secret' }),
    name: z.string(),
    owner: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('merchant') }),
      z.object({ kind: z.literal('customer'), customerId: z.string() }),
    ]),
    scopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    lastUsedAt: z.iso.datetime().optional(),
    revokedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyView = z.infer<typeof ApiKeyView>;

const manageKeys: Grant[] = [
  { kind: 'staff', permission: 'apikeys:manage' },
  { kind: 'buyer', permission: 'apikeys:manage' },
];

export const createApiKey = defineOperation({
  operationId: 'createApiKey',
  method: 'POST',
  path: '/api/v1/stores/{store}/api-keys',
  summary: 'Create an API key; the secret is in this response only',
  description:
    'Merchant staff create keys for integrations and provisioning platforms (scopes: ' +
    `${MERCHANT_KEY_SCOPES.join(', ')}); buyers create keys to order through the API (scopes: ` +
    `${CUSTOMER_KEY_SCOPES.join(', ')}, never more than their own permissions). Send it as ` +
    '`Authorization: Bearer <secret>`.',
  tags,
  access: manageKeys,
  idempotent: true,
  request: {
    params: storeParams,
    body: z
      .object({
        name: z.string().trim().min(1).max(100),
        scopes: z
          .array(z.enum([...MERCHANT_KEY_SCOPES, ...CUSTOMER_KEY_SCOPES]))
          .min(1)
          .max(10),
      })
      .strict(),
  },
  responses: { 201: z.object({ key: ApiKeyView, secret: z.string() }).meta({ id: 'CreatedApiKey' }) },
});

export const listApiKeys = defineOperation({
  operationId: 'listApiKeys',
  method: 'GET',
  path: '/api/v1/stores/{store}/api-keys',
  summary: "The merchant's keys (staff) or the buyer account's keys (buyers); never the secrets",
  tags,
  access: manageKeys,
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(ApiKeyView) }) },
});

export const revokeApiKey = defineOperation({
  operationId: 'revokeApiKey',
  method: 'DELETE',
  path: '/api/v1/stores/{store}/api-keys/{keyId}',
  summary: 'Revoke an API key; it stops working at once',
  tags,
  access: manageKeys,
  request: { params: storeParams.extend({ keyId: Id('key') }) },
  responses: { 204: null },
});

export const inviteUser = defineOperation({
  operationId: 'inviteUser',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/staff/invitations',
  summary: 'Invite a member of staff by email, with their roles',
  tags,
  access: [{ kind: 'staff', permission: 'staff:manage' }],
  idempotent: true,
  request: {
    params: storeParams,
    body: z.object({ email: Email, roles: z.array(z.string().min(1).max(40)).min(1).max(10) }).strict(),
  },
  responses: { 201: z.object({ invitationId: z.string(), email: z.string(), expiresAt: z.iso.datetime() }) },
});

export const acceptInvitation = defineOperation({
  operationId: 'acceptInvitation',
  method: 'POST',
  path: '/api/v1/stores/{store}/auth/invitations/accept',
  summary: 'Accept an invitation: choose a name and password',
  tags,
  access: PUBLIC,
  request: {
    params: storeParams,
    body: z
      .object({
        token: z.string().min(1).max(200),
        name: z.string().trim().min(1).max(200),
        password: NewPassword,
      })
      .strict(),
  },
  responses: { 204: null },
});

export const AuditEntry = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    action: z.string(),
    actor: z.object({ kind: z.string(), id: z.string(), email: z.string().optional() }),
    onBehalfOf: z.object({ kind: z.string(), id: z.string(), email: z.string().optional() }).optional(),
    target: z.string().optional(),
    ip: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const listAuditLog = defineOperation({
  operationId: 'listAuditLog',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/audit',
  summary: 'Security-relevant actions in this store, newest first',
  tags,
  access: [{ kind: 'staff', permission: 'audit:read' }],
  request: {
    params: storeParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional(),
    }),
  },
  responses: { 200: z.object({ items: z.array(AuditEntry), nextCursor: z.string().optional() }) },
});

export const StaffPermissionName = z.enum(STAFF_PERMISSIONS);
export const BuyerPermissionName = z.enum(BUYER_PERMISSIONS);
