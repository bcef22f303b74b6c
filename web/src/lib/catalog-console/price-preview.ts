/**
 * The live price next to the product editor: the shared pricing engine (the same code the API and
 * the storefront quote with) prices the default configuration and each preset in every currency.
 *
 * The engine brings zod and decimal.js, so it is loaded on demand (`loadPricingEngine`, a separate
 * chunk fetched by the editor only) and handed to `pricePreview`, which itself imports types only.
 */
import type { compilePricing } from '#shared/catalog/compile.ts';
import type { PricedProduct } from '#shared/catalog/product.ts';
import type { quote } from '#shared/catalog/quote.ts';
import { pathInWords } from './issue-paths.ts';

export type PricingEngine = { compilePricing: typeof compilePricing; quote: typeof quote };

/** Fetches the engine's chunk (once; the browser caches the module). */
export async function loadPricingEngine(): Promise<PricingEngine> {
  const [compile, quoting] = await Promise.all([
    import('#shared/catalog/compile.ts'),
    import('#shared/catalog/quote.ts'),
  ]);
  return { compilePricing: compile.compilePricing, quote: quoting.quote };
}

export type PreviewCell = {
  currency: string;
  /** Per 730 hours, rounded to the currency, before VAT. */
  monthly?: string;
  /** Per hour, unrounded. */
  hourly?: string;
  /** Once, at order. */
  setup?: string;
  error?: string;
};
export type PreviewRow = { key: string; label: string; cells: PreviewCell[] };
export type PricePreview =
  | { ok: true; currencies: string[]; rows: PreviewRow[] }
  /** The pricing does not hold together yet: what the engine says, in words. */
  | { ok: false; problems: string[] };

type IssueLike = { path: string; message: string };

function issuesOf(error: unknown): IssueLike[] | undefined {
  if (typeof error !== 'object' || error === null || !('issues' in error) || !Array.isArray(error.issues))
    return undefined;
  return error.issues as IssueLike[];
}

function describe(error: unknown): string[] {
  const issues = issuesOf(error);
  if (issues) return issues.map((issue) => `${pathInWords(issue.path)}: ${issue.message}`);
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Quotes the default configuration and every preset in each currency the product has prices in.
 *
 * @example pricePreview(engine, virtualServer, 'DE') // { ok: true, currencies: ['EUR', 'USD'], rows: [{ key: '', label: 'Default configuration', cells: [{ currency: 'EUR', monthly: '55.92', … }] }, …] }
 */
export function pricePreview(
  engine: PricingEngine,
  product: PricedProduct,
  sellerCountry: string,
): PricePreview {
  let pricing: ReturnType<PricingEngine['compilePricing']>;
  try {
    pricing = engine.compilePricing(product);
  } catch (error) {
    return { ok: false, problems: describe(error) };
  }
  const currencies = [...pricing.priceLists.keys()];
  const configurations = [
    { key: '', label: 'Default configuration', configuration: {} },
    ...product.presets.map((preset) => ({
      key: preset.key,
      label: `Preset ${preset.label}`,
      configuration: preset.configuration,
    })),
  ];
  const rows = configurations.map(({ key, label, configuration }) => ({
    key,
    label,
    cells: currencies.map((currency): PreviewCell => {
      try {
        const result = engine.quote(pricing, configuration, { currency, sellerCountry });
        return { currency, monthly: result.monthlyEstimate, hourly: result.hourly, setup: result.setup };
      } catch (error) {
        return { currency, error: describe(error).join(' ') };
      }
    }),
  }));
  return { ok: true, currencies, rows };
}
