/** How buyers get an account in a store. */
export type SignupMode = 'open' | 'application' | 'invite_only';
export const SIGNUP_MODES: readonly SignupMode[] = ['open', 'application', 'invite_only'];

/** A merchant running a storefront on the platform. */
export type Tenant = {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  defaultCurrency: string;
  defaultLanguage: string;
  /** open: self-signup with email verification; application: merchant approves; invite_only. */
  signupMode: SignupMode;
  /** Optional custom domain that serves this store (set by the operator). */
  customDomain?: string;
  /**
   * A sandbox store (demos, tests, trials): its clock can be moved forward (advanceTestClock).
   * Every store on the local runtime counts as one (NIMBUS_SANDBOX_STORES=all).
   */
  sandbox?: boolean;
  createdAt: string;
};
