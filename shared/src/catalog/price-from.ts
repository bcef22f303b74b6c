/**
 * The "from" price a product is listed with: its cheapest configuration, every dimension at its
 * minimum and every option at its default (a single-select option without one at its first
 * choice). Search filters on it (`price<=0.05`) and sorts by it.
 */
import type { CompiledPricing } from './compile.ts';
import type { CurrencyCode } from './money.ts';
import type { Configuration } from './product.ts';
import { quote } from './quote.ts';
import type { PriceFrom } from './search.ts';

/** @example minimumConfiguration(virtualServer) // { dimensions: { vcpu: 1, ram_gb: 1, … }, options: {} } */
export function minimumConfiguration(pricing: CompiledPricing): Configuration {
  const dimensions = Object.fromEntries(
    pricing.rules.dimensions.map((dimension) => [dimension.key, dimension.min]),
  );
  const options: Record<string, string> = {};
  for (const option of pricing.rules.options) {
    if (option.type === 'single' && option.default === undefined && option.choiceKeys[0]) {
      options[option.key] = option.choiceKeys[0];
    }
  }
  return { dimensions, options };
}

/** Undefined when the product has no price list in the currency. */
export function priceFrom(
  pricing: CompiledPricing,
  currency: CurrencyCode,
  sellerCountry: string,
): PriceFrom | undefined {
  if (!pricing.priceLists.has(currency)) return undefined;
  const cheapest = quote(pricing, minimumConfiguration(pricing), { currency, sellerCountry });
  return { currency, hourly: cheapest.hourly, monthly: cheapest.monthlyEstimate };
}
