/** A merchant running one storefront on the platform. Identity (issue 3) adds staff, domains and signup settings. */
export type Tenant = {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'suspended';
  defaultCurrency: string;
  defaultLanguage: string;
  createdAt: string;
};
