/**
 * `npm start`: the whole store on one URL, with demo data kept under .data/ across restarts.
 * Environment: PORT (default 3000), HOST (default 127.0.0.1; 0.0.0.0 to reach it from a phone on
 * your network), NIMBUS_DATA_DIR (default .data), POWERTOOLS_LOG_LEVEL (default WARN).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { PrerequisiteError, requireJava } from './backing-services.ts';
import { REPO_ROOT, startLocalRuntime } from './runtime.ts';
import { DEMO_PASSWORD, DEMO_STORE, demoLogins } from './seed.ts';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = resolve(REPO_ROOT, process.env.NIMBUS_DATA_DIR ?? '.data');

function fail(message: string): never {
  console.error(`✖ ${message}`);
  process.exit(1);
}

async function requireFreePort(): Promise<void> {
  await new Promise<void>((resolveCheck) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        fail(
          `Port ${port} is already in use: stop what uses it, or start on another port with PORT=${port + 1} npm start`,
        );
      }
      if (error.code === 'EACCES')
        fail(`Port ${port} needs privileges: pick a port above 1024, e.g. PORT=3000 npm start`);
      fail(`Cannot listen on ${host}:${port}: ${error.message}`);
    });
    probe.listen(port, host, () => probe.close(() => resolveCheck()));
  });
}

function newestChange(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

/** Builds the web app when it was never built or its sources changed since. */
function ensureWebBuild(): void {
  const shell = join(REPO_ROOT, 'web', 'build', '200.html');
  const sources = [
    join(REPO_ROOT, 'web', 'src'),
    join(REPO_ROOT, 'web', 'vite.config.ts'),
    join(REPO_ROOT, 'shared', 'src'),
  ];
  if (
    existsSync(shell) &&
    statSync(shell).mtimeMs >= Math.max(...sources.filter(existsSync).map(newestChange))
  )
    return;
  console.log('… building the web app (web/ changed since the last build)');
  const build = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) fail('The web app did not build; the errors are above.');
}

async function main(): Promise<void> {
  await requireFreePort();
  try {
    requireJava();
  } catch (error) {
    if (error instanceof PrerequisiteError) fail(error.message);
    throw error;
  }
  ensureWebBuild();

  const runtime = await startLocalRuntime({ port, host, dataDir, seed: true });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DynamoDB Local, queues, pollers and the scheduler…`);
    await runtime.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const seconds = process.uptime().toFixed(1);
  const logins = demoLogins
    .map((login) => `    ${login.role.padEnd(9)} ${login.email.padEnd(22)} at ${runtime.url}${login.where}`)
    .join('\n');
  console.log(
    [
      '',
      `  Nimbus is running at ${runtime.url}`,
      '',
      `  Store      ${runtime.url}/   (${DEMO_STORE.name}, ${runtime.seeded === 'created' ? 'seeded now' : 'data from last time'})`,
      `  Status     ${runtime.url}/status`,
      `  API        ${runtime.url}/api/health · ${runtime.url}/api/openapi.json`,
      `  Mailbox    ${runtime.url}/_outbox   (mail the store sends; nothing leaves this machine)`,
      `  Data       ${dataDir} (delete it to start afresh)`,
      `  Logins     password for all: ${DEMO_PASSWORD} (demo only)`,
      logins,
      '',
      `  Ready in ${seconds} s. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (error instanceof PrerequisiteError) fail(error.message);
  console.error(error);
  process.exit(1);
});
