import type { Tenant } from '#shared/tenants/tenant.ts';
import type { EmailMessage } from '../notifications/email.ts';

/** The identity context's emails. Links point to the web app's pages for each step. */
const link = (publicUrl: string, tenant: Tenant, page: string, token: string) =>
  `${publicUrl.replace(/\/$/, '')}/stores/${tenant.slug}/${page}?token=${encodeURIComponent(token)}`;

export const identityEmails = {
  verifyEmail: (publicUrl: string, tenant: Tenant, to: string, token: string): EmailMessage => ({
    to,
    tenantId: tenant.id,
    subject: `Confirm your email for ${tenant.name}`,
    text: `Welcome to ${tenant.name}.\n\nConfirm your email address to finish signing up:\n${link(publicUrl, tenant, 'verify-email', token)}\n\nThe link works for 48 hours. If you did not sign up, ignore this email.`,
  }),
  resetPassword: (publicUrl: string, tenant: Tenant, to: string, token: string): EmailMessage => ({
    to,
    tenantId: tenant.id,
    subject: `Reset your ${tenant.name} password`,
    text: `Someone asked to reset the password of your ${tenant.name} account.\n\nChoose a new password here:\n${link(publicUrl, tenant, 'reset-password', token)}\n\nThe link works for one hour, once. If it was not you, ignore this email: your password stays as it is.`,
  }),
  invitation: (
    publicUrl: string,
    tenant: Tenant,
    to: string,
    token: string,
    invitedBy: string,
  ): EmailMessage => ({
    to,
    tenantId: tenant.id,
    subject: `You are invited to ${tenant.name}`,
    text: `${invitedBy} invited you to ${tenant.name}.\n\nAccept and choose your password:\n${link(publicUrl, tenant, 'accept-invitation', token)}\n\nThe invitation works for 7 days.`,
  }),
  applicationReceived: (publicUrl: string, tenant: Tenant, to: string, company: string): EmailMessage => ({
    to,
    tenantId: tenant.id,
    subject: `New customer application: ${company}`,
    text: `${company} applied for a customer account in ${tenant.name}.\n\nReview it in the console:\n${publicUrl.replace(/\/$/, '')}/stores/${tenant.slug}/admin/customers`,
  }),
  applicationDecided: (tenant: Tenant, to: string, approved: boolean): EmailMessage => ({
    to,
    tenantId: tenant.id,
    subject: approved ? `Your ${tenant.name} account is ready` : `Your ${tenant.name} application`,
    text: approved
      ? `${tenant.name} approved your account. You can sign in now.`
      : `${tenant.name} did not approve your application. Reply to this email if you have questions.`,
  }),
};
