import type { CustomerView, UserView } from '#shared/identity/admin-api.ts';
import type { Customer, User } from './model.ts';

/** What clients see of a customer account. */
export function customerView(customer: Customer): CustomerView {
  return {
    id: customer.id,
    type: customer.type,
    name: customer.name,
    country: customer.country,
    ...(customer.vatId ? { vatId: customer.vatId } : {}),
    status: customer.status,
    ...(customer.applicationMessage ? { applicationMessage: customer.applicationMessage } : {}),
    createdAt: customer.createdAt,
  };
}

/** What clients see of a user: never the password hash. */
export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status === 'disabled' ? 'disabled' : user.passwordHash ? 'active' : 'invited',
    ...(user.kind === 'staff' ? { roles: user.roles ?? [] } : { permissions: user.permissions ?? [] }),
    createdAt: user.createdAt,
  };
}
