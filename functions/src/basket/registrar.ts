/**
 * The registrar port: is a domain free to register? The basket asks when it validates (not on
 * every change), in one call for all the basket's domains.
 *
 * The HTTP contract (docs/basket-rules.md, "Registrar"): `POST {REGISTRAR_URL}/v1/domains/check`
 * with `{ "domains": ["example.com"] }` answers `{ "results": [{ "domain", "available", "reason"? }] }`.
 * Locally the runtime serves a reference registrar (infra/local/reference-registrar.ts); on AWS the
 * stack's `registrarUrl` points at an adapter for the merchant's registrar.
 */
export type DomainAvailability = { available: boolean; reason?: string };

export interface Registrar {
  /** Answers for ASCII (punycode) domain names; throws when the registrar cannot be reached. */
  check(domains: readonly string[]): Promise<Map<string, DomainAvailability>>;
}
