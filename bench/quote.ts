/**
 * The pricing engine in process: `quote` of the demo virtual server with all six graduated
 * dimensions in their upper tiers, Windows per vCPU, backups and two extras, EUR with German VAT —
 * what the storefront runs on every slider move. Each call is timed on its own after a warm-up.
 * The product is compiled once, as the storefront and the quote handler do; quoting the raw
 * product (validate + compile + quote on every call) is reported beside it, without a target.
 *
 * A machine check runs interleaved with the quotes: JSON.parse of a 1.6 KB document. This machine
 * (2 shared vCPUs) has phases in which allocation-heavy code runs ~1.7× slower; when the check is
 * up by the same factor as the quote, the machine was slow, not the engine.
 */
import { compilePricing } from '../shared/src/catalog/compile.ts';
import { largeWindowsServer, virtualServer } from '../shared/src/catalog/demo-virtual-server.ts';
import { type QuoteContext, quote } from '../shared/src/catalog/quote.ts';
import type { Benchmark, Figure } from './harness.ts';

const WARM_UP = 20_000;
const SAMPLES = 100_000;
const RAW_SAMPLES = 2_000;

const context: QuoteContext = { currency: 'EUR', sellerCountry: 'DE', buyer: { country: 'DE' } };
const checkDocument = JSON.stringify({
  items: Array.from({ length: 40 }, (_, index) => ({
    key: `key${index}`,
    value: index * 1.5,
    text: 'x'.repeat(index % 7),
  })),
});

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** µs of one call. */
function timed(run: () => unknown): number {
  const started = performance.now();
  const result = run();
  const elapsed = (performance.now() - started) * 1000;
  if (result === undefined) throw new Error('nothing to time'); // keeps the result alive
  return elapsed;
}

export const quoteBenchmark: Benchmark = {
  name: 'quote',
  run: async () => {
    const pricing = compilePricing(virtualServer);
    const quoteCompiled = () => quote(pricing, largeWindowsServer, context);
    const parseCheck = () => JSON.parse(checkDocument);
    const lines = quoteCompiled().lines.length;

    for (let i = 0; i < WARM_UP; i++) {
      timed(quoteCompiled);
      timed(parseCheck);
    }
    const quotes = new Float64Array(SAMPLES);
    const checks = new Float64Array(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) {
      quotes[i] = timed(quoteCompiled);
      checks[i] = timed(parseCheck);
    }
    quotes.sort();
    checks.sort();
    const raw = new Float64Array(RAW_SAMPLES);
    for (let i = 0; i < RAW_SAMPLES; i++)
      raw[i] = timed(() => quote(virtualServer, largeWindowsServer, context));
    raw.sort();

    const figures: Figure[] = [
      {
        benchmark: 'quote',
        metric: 'compiled p50',
        value: percentile(quotes, 50),
        unit: 'µs',
        target: 20,
        note: `${SAMPLES} calls after ${WARM_UP} warm-up; 6 graduated dimensions, ${lines} lines, VAT`,
      },
      { benchmark: 'quote', metric: 'compiled p99', value: percentile(quotes, 99), unit: 'µs' },
      {
        benchmark: 'quote',
        metric: 'raw product p50',
        value: percentile(raw, 50),
        unit: 'µs',
        note: 'validate + compile + quote on every call',
      },
      { benchmark: 'quote', metric: 'raw product p99', value: percentile(raw, 99), unit: 'µs' },
      {
        benchmark: 'quote',
        metric: 'machine check p50',
        value: percentile(checks, 50),
        unit: 'µs',
        note: 'JSON.parse of 1.6 KB, interleaved with the quotes',
      },
    ];
    return figures;
  },
};
