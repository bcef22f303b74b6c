/**
 * Emails to a customer account about its money: `credits.low` (the runway first drops under the
 * store's threshold, then daily while it stays low), `credits.exhausted` (zero; the grace period
 * starts) — to members who may see the account's finances — and `order.failed` (an order could not
 * be fulfilled and was refunded) — to members who may order. Events come at least once: a notice
 * already sent for (event, user) is not sent again.
 */
import * as z from 'zod';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { User } from '../identity/model.ts';
import type { EmailMessage, EmailSender } from './email.ts';

export const CreditNoticeData = z.object({
  customerId: z.string().min(1),
  currency: z.string().min(3),
  balance: z.string(),
  runwayHours: z.number().optional(),
  graceEndsAt: z.string().optional(),
});

export const OrderFailedData = z.object({
  customerId: z.string().min(1),
  failure: z.object({ code: z.string(), message: z.string() }),
  refunded: z.object({ credits: z.string().optional(), card: z.string().optional() }).optional(),
});

export const NOTICE_TYPES = ['credits.low', 'credits.exhausted', 'order.failed'] as const;

export type CustomerNoticeDeps = {
  tenant(tenantId: string): Promise<Tenant | undefined>;
  /** The users of a customer account. */
  members(tenantId: string, customerId: string): Promise<User[]>;
  email: EmailSender;
  /** Whether the notice for this key went out already; and noting that it did. */
  notices: {
    sent(tenantId: string, key: string): Promise<boolean>;
    markSent(tenantId: string, key: string): Promise<void>;
  };
  publicUrl: string;
};

/** Who hears about it: active members with the permission. */
const recipients = (members: User[], permission: string) =>
  members.filter(
    (user) =>
      user.kind === 'buyer' && user.status === 'active' && (user.permissions ?? []).includes(permission),
  );

const page = (publicUrl: string, tenant: Tenant, path: string) =>
  `${publicUrl.replace(/\/$/, '')}/stores/${tenant.slug}/${path}`;

export function creditNoticeEmail(
  publicUrl: string,
  tenant: Tenant,
  to: string,
  type: 'credits.low' | 'credits.exhausted',
  data: z.infer<typeof CreditNoticeData>,
): EmailMessage {
  const wallet = page(publicUrl, tenant, 'wallet');
  const tags = { kind: type };
  if (type === 'credits.exhausted') {
    const until = data.graceEndsAt ? ` until ${data.graceEndsAt.slice(0, 16).replace('T', ' ')} UTC` : '';
    return {
      to,
      tenantId: tenant.id,
      tags,
      subject: `Your ${tenant.name} credits have run out`,
      text:
        `Your ${data.currency} credits at ${tenant.name} have run out.\n\n` +
        `Your services keep running${until}; then they are suspended until credits arrive. ` +
        `Usage in the meantime is taken from your next credits.\n\nTop up here:\n${wallet}`,
    };
  }
  const runway =
    data.runwayHours !== undefined ? ` — about ${data.runwayHours} hours at the current usage` : '';
  return {
    to,
    tenantId: tenant.id,
    tags,
    subject: `Your ${tenant.name} credits are running low`,
    text:
      `Your ${data.currency} wallet at ${tenant.name} holds ${data.balance} credits${runway}.\n\n` +
      `When the credits run out, your services are suspended after a grace period. Top up here:\n${wallet}`,
  };
}

export function orderFailedEmail(
  publicUrl: string,
  tenant: Tenant,
  to: string,
  orderId: string,
  data: z.infer<typeof OrderFailedData>,
): EmailMessage {
  const refund = data.refunded?.credits
    ? `The ${data.refunded.credits} credits it took are back in your wallet.`
    : data.refunded?.card
      ? `The card payment of ${data.refunded.card} is refunded; your bank shows it within days.`
      : 'Nothing was charged for it.';
  return {
    to,
    tenantId: tenant.id,
    tags: { kind: 'order.failed' },
    subject: `Your ${tenant.name} order could not be completed`,
    text:
      `We could not set up your order ${orderId}: ${data.failure.message}\n\n${refund}\n\n` +
      `See the order:\n${page(publicUrl, tenant, `orders/${orderId}`)}`,
  };
}

/** Sends the emails an event calls for; returns how many went out now. */
export async function sendCustomerNotice(deps: CustomerNoticeDeps, event: EventEnvelope): Promise<number> {
  const type = event.type;
  if (!(NOTICE_TYPES as readonly string[]).includes(type)) return 0;
  const tenant = await deps.tenant(event.tenant);
  if (!tenant) return 0;
  let customerId: string;
  let message: (to: string) => EmailMessage;
  let permission: string;
  if (type === 'order.failed') {
    const data = OrderFailedData.parse(event.data);
    customerId = data.customerId;
    permission = 'orders:create';
    message = (to) => orderFailedEmail(deps.publicUrl, tenant, to, event.subject, data);
  } else {
    const data = CreditNoticeData.parse(event.data);
    customerId = data.customerId;
    permission = 'finance:view';
    message = (to) =>
      creditNoticeEmail(deps.publicUrl, tenant, to, type as 'credits.low' | 'credits.exhausted', data);
  }
  let sent = 0;
  for (const user of recipients(await deps.members(tenant.id, customerId), permission)) {
    const key = `${event.id}#${user.id}`;
    if (await deps.notices.sent(tenant.id, key)) continue;
    await deps.email.send(message(user.email));
    // Noted after sending: a crash in between sends it twice rather than never.
    await deps.notices.markSent(tenant.id, key);
    sent++;
  }
  return sent;
}
