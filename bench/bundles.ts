/**
 * Per-function Lambda bundles, built exactly as the CDK app builds them (infra/bundling.ts):
 * minified size, and module init time = importing the bundle in a fresh Node process (median).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lambdaBundling } from '../infra/bundling.ts';
import { REPO_ROOT } from '../infra/local/runtime.ts';
import { nimbus } from '../infra/topology/nimbus.ts';
import { queueUrlEnvName } from '../infra/topology/types.ts';
import { type Benchmark, type Figure, median } from './harness.ts';

const INIT_RUNS = 7;
// Bundles live inside the repo so `@aws-sdk/*` (external, as in the Lambda runtime) resolves.
const outDir = join(REPO_ROOT, 'bench', 'results', 'bundles');

/** Configuration a function reads at init; values only need to be well-formed. */
const lambdaEnvironment = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'bench',
  EVENT_BUS_NAME: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  ...Object.fromEntries(nimbus.queues.map((queue) => [queueUrlEnvName(queue.name), 'http://127.0.0.1:1/q'])),
};

function initTimeMs(bundle: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(performance.now() - t);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: lambdaEnvironment,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`importing ${bundle} failed:\n${result.stderr}`);
  return Number(result.stdout.trim());
}

export const bundles: Benchmark = {
  name: 'bundles',
  run: async () => {
    mkdirSync(outDir, { recursive: true });
    const figures: Figure[] = [];
    const sizes: number[] = [];
    const inits: number[] = [];
    for (const fn of nimbus.functions) {
      const outfile = join(outDir, `${fn.name}.mjs`);
      await build({
        entryPoints: [join(REPO_ROOT, fn.entry)],
        outfile,
        bundle: true,
        format: lambdaBundling.format,
        platform: lambdaBundling.platform,
        target: lambdaBundling.target,
        minify: lambdaBundling.minify,
        external: lambdaBundling.external,
        mainFields: lambdaBundling.mainFields,
        banner: { js: lambdaBundling.banner },
        logLevel: 'error',
      });
      const kb = statSync(outfile).size / 1024;
      const init = median(Array.from({ length: INIT_RUNS }, () => initTimeMs(outfile)));
      sizes.push(kb);
      inits.push(init);
      figures.push({ benchmark: 'bundles', metric: `${fn.name} size`, value: kb, unit: 'KB' });
      figures.push({ benchmark: 'bundles', metric: `${fn.name} init`, value: init, unit: 'ms' });
    }
    figures.push(
      { benchmark: 'bundles', metric: 'median size', value: median(sizes), unit: 'KB', target: 250 },
      { benchmark: 'bundles', metric: 'largest size', value: Math.max(...sizes), unit: 'KB', target: 1024 },
      {
        benchmark: 'bundles',
        metric: 'median init',
        value: median(inits),
        unit: 'ms',
        target: 50,
        note: `fresh process, median of ${INIT_RUNS}; @aws-sdk from the runtime`,
      },
    );
    return figures;
  },
};
