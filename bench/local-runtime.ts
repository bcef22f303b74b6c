/**
 * The local runtime as `npm start` runs it, in a child process with a fresh data folder:
 * time to ready, then GET /api/health and searchCatalog latency under autocannon (50 connections).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../infra/local/backing-services.ts';
import { REPO_ROOT } from '../infra/local/runtime.ts';
import { type Benchmark, type Figure, median } from './harness.ts';

const STARTS = 3;

async function startRuntime(): Promise<{
  url: string;
  readyMs: number;
  reportedSeconds: number;
  stop: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-bench-'));
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), NIMBUS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Ready in ([\d.]+) s/.exec(output);
      if (ready) {
        resolve({
          url: `http://localhost:${port}`,
          readyMs: performance.now() - started,
          reportedSeconds: Number(ready[1]),
          stop,
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Searches a buyer's filter bar sends on the demo catalog: text with typos, facets, ranges, sorts. */
const SEARCHES = [
  '?q=server',
  `?q=${encodeURIComponent('virtal servr')}`,
  '?q=postgres&filter=region:eu-central',
  `?filter=${encodeURIComponent('vcpu>=4,price<=0.05')}`,
  '?category=compute&sort=price_asc',
  '?q=mail&sort=name_asc&pageSize=5',
];

async function searchLoad(url: string) {
  const paths = SEARCHES.map((query) => `/api/v1/stores/demo/search${query}`);
  for (const path of paths) await fetch(`${url}${path}`); // warm the index
  return autocannon({
    url,
    connections: 50,
    duration: 10,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
}

export const localRuntime: Benchmark = {
  name: 'local runtime',
  run: async () => {
    const readyTimes: number[] = [];
    for (let run = 1; run < STARTS; run += 1) {
      const runtime = await startRuntime();
      readyTimes.push(runtime.readyMs);
      await runtime.stop();
    }
    const runtime = await startRuntime();
    readyTimes.push(runtime.readyMs);
    const figures: Figure[] = [
      {
        benchmark: 'local runtime',
        metric: 'npm start → ready',
        value: median(readyTimes) / 1000,
        unit: 's',
        target: 20,
        note: `median of ${STARTS} cold starts, fresh data folder, web already built`,
      },
    ];
    try {
      await fetch(`${runtime.url}/api/health`); // warm the handler
      const result = await autocannon({ url: `${runtime.url}/api/health`, connections: 50, duration: 10 });
      const search = await searchLoad(runtime.url);
      figures.push(
        { benchmark: 'GET /api/health', metric: 'p50', value: result.latency.p50, unit: 'ms' },
        {
          benchmark: 'GET /api/health',
          metric: 'p99',
          value: result.latency.p99,
          unit: 'ms',
          target: 20,
          note: `50 connections, 10 s, ${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx`,
        },
        { benchmark: 'searchCatalog (HTTP)', metric: 'p50', value: search.latency.p50, unit: 'ms' },
        {
          benchmark: 'searchCatalog (HTTP)',
          metric: 'p99',
          value: search.latency.p99,
          unit: 'ms',
          note: `50 connections, 10 s, ${SEARCHES.length} queries in turn, ${Math.round(search.requests.average)} req/s, ${search.non2xx} non-2xx`,
        },
        {
          benchmark: 'searchCatalog (HTTP)',
          metric: 'p99 / health p99',
          value: search.latency.p99 / result.latency.p99,
          unit: '×',
          target: 2,
          note: 'same run, same load',
        },
      );
    } finally {
      await runtime.stop();
    }
    return figures;
  },
};
