/**
 * `npm run bench [name…]`: runs the benchmarks, prints a table and writes bench/results/latest.json.
 * Not part of `npm test`: figures depend on the machine; targets are the issues'.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../infra/local/runtime.ts';
import { billingBenchmark } from './billing.ts';
import { bundles } from './bundles.ts';
import { type Benchmark, type Figure, formatTable } from './harness.ts';
import { localRuntime } from './local-runtime.ts';
import { quoteBenchmark } from './quote.ts';
import { searchBenchmark } from './search.ts';
import { usageBenchmark } from './usage.ts';
import { webhookDispatchBenchmark } from './webhook-dispatch.ts';

const all: Benchmark[] = [
  bundles,
  localRuntime,
  quoteBenchmark,
  searchBenchmark,
  billingBenchmark,
  usageBenchmark,
  webhookDispatchBenchmark,
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? all.filter((benchmark) => wanted.includes(benchmark.name)) : all;
if (selected.length === 0) {
  console.error(`No benchmark named ${wanted.join(', ')}; there are: ${all.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const figures: Figure[] = [];
for (const benchmark of selected) {
  console.error(`… ${benchmark.name}`);
  figures.push(...(await benchmark.run()));
}
console.log(formatTable(figures));
const resultsDir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'latest.json'),
  `${JSON.stringify({ at: new Date().toISOString(), cpus: (await import('node:os')).cpus().length, figures }, null, 2)}\n`,
);
console.error(`written to ${join('bench', 'results', 'latest.json')}`);
