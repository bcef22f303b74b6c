import * as z from 'zod';
import { UnavailableError } from '#shared/errors.ts';
import type { DomainAvailability, Registrar } from '../registrar.ts';

const CheckResponse = z.object({
  results: z.array(z.object({ domain: z.string(), available: z.boolean(), reason: z.string().optional() })),
});

/** A basket waits this long for the registrar before reporting availability as unknown. */
const TIMEOUT_MS = 2_500;

/** The registrar port over HTTP (the contract in registrar.ts). */
export class HttpRegistrar implements Registrar {
  constructor(private readonly baseUrl: string) {}

  async check(domains: readonly string[]): Promise<Map<string, DomainAvailability>> {
    if (domains.length === 0) return new Map();
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/v1/domains/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ domains }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new UnavailableError(
        'registrar_unreachable',
        `The registrar did not answer: ${(error as Error).message}`,
      );
    }
    if (!response.ok) {
      throw new UnavailableError('registrar_failed', `The registrar answered ${response.status}`);
    }
    const parsed = CheckResponse.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new UnavailableError('registrar_failed', 'The registrar answered something unreadable');
    return new Map(
      parsed.data.results.map((result) => [
        result.domain,
        { available: result.available, ...(result.reason ? { reason: result.reason } : {}) },
      ]),
    );
  }
}
