/** A storefront slug from a name: "Acme Cloud GmbH" → "acme-cloud-gmbh" (lowercase, digits, inner hyphens, ≤ 40). */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
}

/** The API's rule for slugs (shared/src/tenants/api.ts StoreSlug). */
export function checkSlug(slug: string): string | undefined {
  if (slug === '') return 'Choose the address of the store.';
  if (slug.length < 2 || slug.length > 40) return 'Use 2 to 40 characters.';
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(slug)) {
    return 'Use lowercase letters, digits and hyphens (not at the start or end).';
  }
  return undefined;
}
