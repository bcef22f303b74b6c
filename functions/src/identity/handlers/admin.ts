import {
  approveCustomer,
  getStoreSettings,
  impersonateCustomer as impersonateCustomerOperation,
  listCustomerApplications,
  listRoles as listRolesOperation,
  listStaff as listStaffOperation,
  putRole as putRoleOperation,
  rejectCustomer,
  updateStaffRoles,
  updateStoreSettings as updateStoreSettingsOperation,
} from '#shared/identity/admin-api.ts';
import { inviteUser, listAuditLog } from '#shared/identity/api.ts';
import { tableIdempotencyStore } from '../../http/adapters/dynamodb-idempotency-store.ts';
import { created, httpHandler, ok } from '../../http/http-handler.ts';
import { clientOf, routes } from '../../http/router.ts';
import { decideApplication, impersonateCustomer, listApplications } from '../customer-admin.ts';
import { inviteStaff } from '../invitations.ts';
import { tableAuthenticator, tableIdentity } from '../table-identity.ts';
import { listRoles, listStaff, putRole, setStaffRoles, updateStoreSettings } from '../team.ts';

const options = { authenticator: tableAuthenticator, idempotencyStore: tableIdempotencyStore };

/** The merchant console's identity operations: staff, roles, applications, impersonation, audit. */
export const handler = routes(
  [
    inviteUser,
    httpHandler(
      inviteUser,
      async ({ tenant, principal, body, event }) =>
        created(await inviteStaff(tableIdentity(), tenant, principal, body, clientOf(event))),
      options,
    ),
  ],
  [
    listAuditLog,
    httpHandler(
      listAuditLog,
      async ({ tenant, query }) =>
        ok(
          await tableIdentity().audit.list(
            { kind: 'tenant', tenantId: tenant.id },
            query.limit,
            query.cursor,
          ),
        ),
      options,
    ),
  ],
  [
    listCustomerApplications,
    httpHandler(
      listCustomerApplications,
      async ({ tenant }) => ok({ items: await listApplications(tableIdentity(), tenant) }),
      options,
    ),
  ],
  ...[approveCustomer, rejectCustomer].map(
    (operation) =>
      [
        operation,
        httpHandler(
          operation,
          async ({ tenant, principal, params, body, event }) =>
            ok(
              await decideApplication(
                tableIdentity(),
                tenant,
                principal,
                params.customerId,
                operation === approveCustomer,
                body.reason,
                clientOf(event),
              ),
            ),
          options,
        ),
      ] as const,
  ),
  [
    impersonateCustomerOperation,
    httpHandler(
      impersonateCustomerOperation,
      async ({ tenant, principal, params, body, event }) =>
        created(
          await impersonateCustomer(
            tableIdentity(),
            tenant,
            principal,
            params.customerId,
            body.reason,
            clientOf(event),
          ),
        ),
      options,
    ),
  ],
  [
    listStaffOperation,
    httpHandler(
      listStaffOperation,
      async ({ tenant }) => ok({ items: await listStaff(tableIdentity(), tenant) }),
      options,
    ),
  ],
  [
    updateStaffRoles,
    httpHandler(
      updateStaffRoles,
      async ({ tenant, principal, params, body, event }) =>
        ok(
          await setStaffRoles(tableIdentity(), tenant, principal, params.userId, body.roles, clientOf(event)),
        ),
      options,
    ),
  ],
  [
    listRolesOperation,
    httpHandler(
      listRolesOperation,
      async ({ tenant }) => ok(await listRoles(tableIdentity(), tenant)),
      options,
    ),
  ],
  [
    putRoleOperation,
    httpHandler(
      putRoleOperation,
      async ({ tenant, principal, params, body, event }) =>
        ok(await putRole(tableIdentity(), tenant, principal, params.role, body.permissions, clientOf(event))),
      options,
    ),
  ],
  [
    getStoreSettings,
    httpHandler(
      getStoreSettings,
      async ({ tenant }) => {
        // Read fresh, not from the per-instance store cache: this page shows what was just saved.
        const current = (await tableIdentity().tenants.get(tenant.id)) ?? tenant;
        return ok({ signupMode: current.signupMode });
      },
      options,
    ),
  ],
  [
    updateStoreSettingsOperation,
    httpHandler(
      updateStoreSettingsOperation,
      async ({ tenant, principal, body, event }) =>
        ok(await updateStoreSettings(tableIdentity(), tenant, principal, body.signupMode, clientOf(event))),
      options,
    ),
  ],
);
