/**
 * The merchant console's identity API (`/api/v1/stores/{store}/admin/...`): staff and their roles,
 * roles and their permissions, customer applications, the store's sign-up mode, acting as a
 * customer, and the audit log. Every call needs a staff session with the permission the operation
 * declares; without it the answer is 403 `permission_required` with `details.required`.
 */
import type * as z from 'zod';
import type {
  CustomerView,
  impersonateCustomer,
  RoleView,
  UserView,
  updateStoreSettings,
} from '#shared/identity/admin-api.ts';
import type { AuditEntry, inviteUser } from '#shared/identity/api.ts';
import {
  type ApiOptions,
  type ApiProblem,
  type ApiResult,
  getJson,
  isRecord,
  postOnce,
  requestJson,
} from './http.ts';
import { adminPath as admin, storePath } from './identity.ts';
import {
  type CursorPage,
  isDateTime,
  isOptional,
  isString,
  isStringArray,
  optional,
  parseCursorPage,
  parseItems,
} from './parse.ts';

type ResponseOf<
  Op extends { responses: Record<number, unknown> },
  S extends keyof Op['responses'],
> = Op['responses'][S] extends z.ZodType ? z.output<Op['responses'][S]> : never;

export type { AuditEntry, CustomerView as Customer, UserView as StaffMember };
export type Role = z.output<typeof RoleView>;
export type RolesList = { items: Role[]; permissions: string[] };
export type Invitation = ResponseOf<typeof inviteUser, 201>;
export type Impersonation = ResponseOf<typeof impersonateCustomer, 201>;
export type SignupMode = ResponseOf<typeof updateStoreSettings, 200>['signupMode'];
export type AuditPage = CursorPage<AuditEntry>;
export type Decision = 'approve' | 'reject';

const SIGNUP_MODE_VALUES: readonly string[] = ['open', 'application', 'invite_only'] satisfies SignupMode[];
const USER_STATUSES: readonly string[] = ['active', 'invited', 'disabled'] satisfies UserView['status'][];
const CUSTOMER_STATUSES: readonly string[] = [
  'active',
  'pending_approval',
  'rejected',
] satisfies CustomerView['status'][];

/** The id formats of the API (`cus_` + 26 lowercase ULID characters). */
export const CUSTOMER_ID = /^cus_[0-9a-z]{26}$/;
/** Role names the API accepts: lowercase letters, digits and hyphens, 2 to 40 characters. */
export const ROLE_NAME = /^[a-z][a-z0-9-]{1,39}$/;

export function parseStaffMember(value: unknown): UserView | undefined {
  if (!isRecord(value)) return undefined;
  const { id, email, name, status, roles, permissions, createdAt } = value;
  if (!isString(id) || !isString(email) || !isString(name) || !isDateTime(createdAt)) return undefined;
  if (!isString(status) || !USER_STATUSES.includes(status)) return undefined;
  if (!isOptional(roles, isStringArray) || !isOptional(permissions, isStringArray)) return undefined;
  return {
    id,
    email,
    name,
    status: status as UserView['status'],
    ...optional('roles', roles),
    ...optional('permissions', permissions),
    createdAt,
  };
}

function parseRole(value: unknown): Role | undefined {
  if (!isRecord(value) || !isString(value.name) || !isStringArray(value.permissions)) return undefined;
  return { name: value.name, permissions: value.permissions };
}

export function parseRolesList(body: unknown): RolesList | undefined {
  const items = parseItems(body, parseRole);
  if (!items || !isRecord(body) || !isStringArray(body.permissions)) return undefined;
  return { items, permissions: body.permissions };
}

export function parseCustomer(value: unknown): CustomerView | undefined {
  if (!isRecord(value)) return undefined;
  const { id, type, name, country, vatId, status, applicationMessage, createdAt } = value;
  if (!isString(id) || !isString(name) || !isString(country) || !isDateTime(createdAt)) return undefined;
  if (type !== 'person' && type !== 'company') return undefined;
  if (!isString(status) || !CUSTOMER_STATUSES.includes(status)) return undefined;
  if (!isOptional(vatId, isString) || !isOptional(applicationMessage, isString)) return undefined;
  return {
    id,
    type,
    name,
    country,
    ...optional('vatId', vatId),
    status: status as CustomerView['status'],
    ...optional('applicationMessage', applicationMessage),
    createdAt,
  };
}

function parseInvitation(body: unknown): Invitation | undefined {
  if (!isRecord(body)) return undefined;
  const { invitationId, email, expiresAt } = body;
  if (!isString(invitationId) || !isString(email) || !isDateTime(expiresAt)) return undefined;
  return { invitationId, email, expiresAt };
}

export function parseImpersonation(body: unknown): Impersonation | undefined {
  if (!isRecord(body)) return undefined;
  const { token, customerId, userId, expiresAt } = body;
  if (!isString(token) || token === '' || !isString(customerId) || !isString(userId)) return undefined;
  if (!isDateTime(expiresAt)) return undefined;
  return { token, customerId, userId, expiresAt };
}

export function parseSignupMode(body: unknown): { signupMode: SignupMode } | undefined {
  if (!isRecord(body) || !isString(body.signupMode) || !SIGNUP_MODE_VALUES.includes(body.signupMode)) {
    return undefined;
  }
  return { signupMode: body.signupMode as SignupMode };
}

type Party = AuditEntry['actor'];

function parseParty(value: unknown): Party | undefined {
  if (!isRecord(value) || !isString(value.kind) || !isString(value.id)) return undefined;
  if (!isOptional(value.email, isString)) return undefined;
  return { kind: value.kind, id: value.id, ...optional('email', value.email) };
}

export function parseAuditEntry(value: unknown): AuditEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { id, at, action, actor, onBehalfOf, target, ip, details } = value;
  if (!isString(id) || !isDateTime(at) || !isString(action)) return undefined;
  const by = parseParty(actor);
  const behalf = onBehalfOf === undefined ? undefined : parseParty(onBehalfOf);
  if (!by || (onBehalfOf !== undefined && !behalf)) return undefined;
  if (!isOptional(target, isString) || !isOptional(ip, isString)) return undefined;
  if (details !== undefined && !isRecord(details)) return undefined;
  return {
    id,
    at,
    action,
    actor: by,
    ...(behalf ? { onBehalfOf: behalf } : {}),
    ...optional('target', target),
    ...optional('ip', ip),
    ...optional('details', details),
  };
}

export function parseAuditPage(body: unknown): AuditPage | undefined {
  return parseCursorPage(body, parseAuditEntry);
}

/** True for a 403: the caller is signed in, but may not do this. */
export function isForbidden(problem: ApiProblem | undefined): boolean {
  return problem?.kind === 'http' && problem.status === 403;
}

/** The permissions a 403 `permission_required` names in `details.required` (any one would do). */
export function requiredPermissions(problem: ApiProblem | undefined): string[] {
  if (problem?.kind !== 'http' || problem.status !== 403 || !isRecord(problem.details)) return [];
  const { required } = problem.details;
  return isStringArray(required) ? required : [];
}

const segment = encodeURIComponent;

/** `GET admin/staff` (staff:manage). */
export function fetchStaff(store: string, options?: ApiOptions): Promise<ApiResult<UserView[]>> {
  return getJson(admin(store, '/staff'), (body) => parseItems(body, parseStaffMember), options);
}

/** `POST admin/staff/invitations` (201): the invitee gets an email with a link; 409 email_taken. */
export function inviteStaff(
  store: string,
  input: { email: string; roles: string[] },
  options?: ApiOptions & { idempotencyKey?: string },
): Promise<ApiResult<Invitation>> {
  return postOnce(admin(store, '/staff/invitations'), parseInvitation, input, options);
}

/** `PUT admin/staff/{userId}/roles` (200); 403 own_roles, cannot_grant. */
export function setStaffRoles(
  store: string,
  userId: string,
  roles: string[],
  options?: ApiOptions,
): Promise<ApiResult<UserView>> {
  return requestJson(admin(store, `/staff/${segment(userId)}/roles`), parseStaffMember, {
    ...options,
    method: 'PUT',
    body: { roles },
  });
}

/** `GET admin/roles` (staff:manage or roles:manage): the roles and every permission there is. */
export function fetchRoles(store: string, options?: ApiOptions): Promise<ApiResult<RolesList>> {
  return getJson(admin(store, '/roles'), parseRolesList, options);
}

/** `PUT admin/roles/{role}` (roles:manage): creates or changes a role; 403 owner_role_fixed, cannot_grant. */
export function saveRole(
  store: string,
  name: string,
  permissions: string[],
  options?: ApiOptions,
): Promise<ApiResult<Role>> {
  return requestJson(admin(store, `/roles/${segment(name)}`), parseRole, {
    ...options,
    method: 'PUT',
    body: { permissions },
  });
}

/** `GET admin/customer-applications` (customers:read): accounts waiting for a decision. */
export function fetchApplications(store: string, options?: ApiOptions): Promise<ApiResult<CustomerView[]>> {
  return getJson(admin(store, '/customer-applications'), (body) => parseItems(body, parseCustomer), options);
}

/** `POST admin/customers/{id}/approve|reject` (customers:manage); 409 not_pending. */
export function decideApplication(
  store: string,
  customerId: string,
  decision: Decision,
  reason?: string,
  options?: ApiOptions,
): Promise<ApiResult<CustomerView>> {
  return requestJson(admin(store, `/customers/${segment(customerId)}/${decision}`), parseCustomer, {
    ...options,
    method: 'POST',
    body: reason ? { reason } : {},
  });
}

/** `GET account` (buyers): the signed-in buyer's own customer account. */
export function fetchAccount(store: string, options?: ApiOptions): Promise<ApiResult<CustomerView>> {
  return getJson(storePath(store, '/account'), parseCustomer, options);
}

/** `GET admin/settings` (any staff): how buyers get an account now. */
export function fetchSignupMode(
  store: string,
  options?: ApiOptions,
): Promise<ApiResult<{ signupMode: SignupMode }>> {
  return getJson(admin(store, '/settings'), parseSignupMode, options);
}

/** `PATCH admin/settings` (store:manage): how buyers get an account. */
export function setSignupMode(
  store: string,
  signupMode: SignupMode,
  options?: ApiOptions,
): Promise<ApiResult<{ signupMode: SignupMode }>> {
  return requestJson(admin(store, '/settings'), parseSignupMode, {
    ...options,
    method: 'PATCH',
    body: { signupMode },
  });
}

/**
 * `POST admin/customers/{id}/impersonation` (customers:impersonate, 201): a one-hour bearer token
 * acting as the customer's owner. 404 customer_not_found for an unknown or inactive customer.
 */
export function actAsCustomer(
  store: string,
  customerId: string,
  reason: string,
  options?: ApiOptions,
): Promise<ApiResult<Impersonation>> {
  return requestJson(admin(store, `/customers/${segment(customerId)}/impersonation`), parseImpersonation, {
    ...options,
    method: 'POST',
    body: { reason },
    okStatuses: [201],
  });
}

/** `GET admin/audit?limit=&cursor=` (audit:read): newest first; `nextCursor` while there is more. */
export function fetchAuditLog(
  store: string,
  page: { limit?: number; cursor?: string | undefined } = {},
  options?: ApiOptions,
): Promise<ApiResult<AuditPage>> {
  const query = new URLSearchParams({ limit: String(page.limit ?? 50) });
  if (page.cursor) query.set('cursor', page.cursor);
  return getJson(admin(store, `/audit?${query}`), parseAuditPage, options);
}
