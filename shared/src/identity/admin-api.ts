import * as z from 'zod';
import { defineOperation } from '../http/operation.ts';
import { storeParams } from '../tenants/api.ts';
import type { Grant } from './access.ts';
import { Email } from './api.ts';
import { BUYER_PERMISSIONS, STAFF_PERMISSIONS } from './permissions.ts';

const tags = ['identity'];
const CustomerId = z.string().regex(/^cus_[0-9a-z]{26}$/, 'must be a cus_… id');
const UserId = z.string().regex(/^usr_[0-9a-z]{26}$/, 'must be a usr_… id');
const RoleName = z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lowercase letters, digits and hyphens');

export const CustomerView = z
  .object({
    id: z.string(),
    type: z.enum(['person', 'company']),
    name: z.string(),
    country: z.string(),
    vatId: z.string().optional(),
    status: z.enum(['active', 'pending_approval', 'rejected']),
    applicationMessage: z.string().optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Customer' });
export type CustomerView = z.infer<typeof CustomerView>;

export const UserView = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    status: z.enum(['active', 'invited', 'disabled']),
    roles: z.array(z.string()).optional(),
    permissions: z.array(z.string()).optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof UserView>;

export const listCustomerApplications = defineOperation({
  operationId: 'listCustomerApplications',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/customer-applications',
  summary: 'Companies waiting for the merchant to approve their account',
  tags,
  access: [{ kind: 'staff', permission: 'customers:read' }],
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(CustomerView) }) },
});

const decision = (operationId: 'approveCustomer' | 'rejectCustomer', verb: 'approve' | 'reject') =>
  defineOperation({
    operationId,
    method: 'POST',
    path: `/api/v1/stores/{store}/admin/customers/{customerId}/${verb}`,
    summary: verb === 'approve' ? 'Approve an application: the buyer may sign in' : 'Reject an application',
    tags,
    access: [{ kind: 'staff', permission: 'customers:manage' }] as Grant[],
    request: {
      params: storeParams.extend({ customerId: CustomerId }),
      body: z.object({ reason: z.string().max(1000).optional() }).strict(),
    },
    responses: { 200: CustomerView },
  });
export const approveCustomer = decision('approveCustomer', 'approve');
export const rejectCustomer = decision('rejectCustomer', 'reject');

export const impersonateCustomer = defineOperation({
  operationId: 'impersonateCustomer',
  method: 'POST',
  path: '/api/v1/stores/{store}/admin/customers/{customerId}/impersonation',
  summary: 'Act as a customer (for example, to place an order for them)',
  description:
    "Returns a short-lived token acting as the customer's owner, to send as `Authorization: Bearer <token>`. " +
    'The buyer sees the session in their session list; every action is recorded with both identities.',
  tags,
  access: [{ kind: 'staff', permission: 'customers:impersonate' }],
  request: {
    params: storeParams.extend({ customerId: CustomerId }),
    body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
  },
  responses: {
    201: z
      .object({ token: z.string(), customerId: z.string(), userId: z.string(), expiresAt: z.iso.datetime() })
      .meta({ id: 'Impersonation' }),
  },
});

export const listStaff = defineOperation({
  operationId: 'listStaff',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/staff',
  summary: "The store's staff with their roles",
  tags,
  access: [{ kind: 'staff', permission: 'staff:manage' }],
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(UserView) }) },
});

export const updateStaffRoles = defineOperation({
  operationId: 'updateStaffRoles',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/staff/{userId}/roles',
  summary: "Set a staff member's roles (never beyond your own permissions, never your own)",
  tags,
  access: [{ kind: 'staff', permission: 'staff:manage' }],
  request: {
    params: storeParams.extend({ userId: UserId }),
    body: z.object({ roles: z.array(RoleName).min(1).max(10) }).strict(),
  },
  responses: { 200: UserView },
});

export const RoleView = z.object({ name: z.string(), permissions: z.array(z.string()) }).meta({ id: 'Role' });

export const listRoles = defineOperation({
  operationId: 'listRoles',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/roles',
  summary: 'Staff roles of the store and their permissions',
  tags,
  access: [
    { kind: 'staff', permission: 'staff:manage' },
    { kind: 'staff', permission: 'roles:manage' },
  ],
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(RoleView), permissions: z.array(z.string()) }) },
});

export const putRole = defineOperation({
  operationId: 'putRole',
  method: 'PUT',
  path: '/api/v1/stores/{store}/admin/roles/{role}',
  summary: 'Create or change a role: a name and a set of permissions (no code needed for new roles)',
  tags,
  access: [{ kind: 'staff', permission: 'roles:manage' }],
  request: {
    params: storeParams.extend({ role: RoleName }),
    body: z
      .object({ permissions: z.array(z.enum(STAFF_PERMISSIONS)).max(STAFF_PERMISSIONS.length) })
      .strict(),
  },
  responses: { 200: RoleView },
});

const SignupModeName = z.enum(['open', 'application', 'invite_only']);

export const getStoreSettings = defineOperation({
  operationId: 'getStoreSettings',
  method: 'GET',
  path: '/api/v1/stores/{store}/admin/settings',
  summary: "The store's settings (how buyers get an account)",
  tags,
  access: [{ kind: 'staff' }],
  request: { params: storeParams },
  responses: { 200: z.object({ signupMode: SignupModeName }) },
});

export const updateStoreSettings = defineOperation({
  operationId: 'updateStoreSettings',
  method: 'PATCH',
  path: '/api/v1/stores/{store}/admin/settings',
  summary: 'How buyers get an account: open sign-up, application, or invitation only',
  tags,
  access: [{ kind: 'staff', permission: 'store:manage' }],
  request: {
    params: storeParams,
    body: z.object({ signupMode: z.enum(['open', 'application', 'invite_only']) }).strict(),
  },
  responses: { 200: z.object({ signupMode: z.enum(['open', 'application', 'invite_only']) }) },
});

export const getAccount = defineOperation({
  operationId: 'getAccount',
  method: 'GET',
  path: '/api/v1/stores/{store}/account',
  summary: "The signed-in buyer's account (person or company)",
  tags,
  access: [{ kind: 'buyer' }],
  request: { params: storeParams },
  responses: { 200: CustomerView },
});

export const listCustomerUsers = defineOperation({
  operationId: 'listCustomerUsers',
  method: 'GET',
  path: '/api/v1/stores/{store}/account/users',
  summary: "Users of the buyer's company account and their permissions",
  tags,
  access: [{ kind: 'buyer', permission: 'users:manage' }],
  request: { params: storeParams },
  responses: { 200: z.object({ items: z.array(UserView) }) },
});

export const inviteCustomerUser = defineOperation({
  operationId: 'inviteCustomerUser',
  method: 'POST',
  path: '/api/v1/stores/{store}/account/users',
  summary: 'Invite a colleague into the company account, with their permissions',
  tags,
  access: [{ kind: 'buyer', permission: 'users:manage' }],
  idempotent: true,
  request: {
    params: storeParams,
    body: z
      .object({ email: Email, permissions: z.array(z.enum(BUYER_PERMISSIONS)).max(BUYER_PERMISSIONS.length) })
      .strict(),
  },
  responses: { 201: UserView },
});

export const updateCustomerUser = defineOperation({
  operationId: 'updateCustomerUser',
  method: 'PATCH',
  path: '/api/v1/stores/{store}/account/users/{userId}',
  summary: "Change a company user's permissions (not your own)",
  tags,
  access: [{ kind: 'buyer', permission: 'users:manage' }],
  request: {
    params: storeParams.extend({ userId: UserId }),
    body: z
      .object({ permissions: z.array(z.enum(BUYER_PERMISSIONS)).max(BUYER_PERMISSIONS.length) })
      .strict(),
  },
  responses: { 200: UserView },
});
