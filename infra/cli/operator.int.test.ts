import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../test/support/http-client.ts';
import { REPO_ROOT, startLocalRuntime } from '../local/runtime.ts';

const run = promisify(execFile);

describe('npm run operator -- create', () => {
  it('creates an operator who can then sign in, and refuses bad input with one line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
    const env = { ...process.env, NIMBUS_DATA_DIR: dataDir };
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'infra/cli/operator.ts', ...args], { cwd: REPO_ROOT, env });
    try {
      const created = await cli(
        'create',
        '--email',
        'Ops@Example.com',
        '--name',
        'Ops',
        '--password',
        'operator password 1',
      );
      expect(created.stdout).toMatch(/operator ops@example\.com \(opr_[0-9a-z]{26}\) created/);

      const refused = await cli('create', '--email', 'not-an-email', '--name', 'X').catch(
        (error: { stderr: string; code: number }) => error,
      );
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr.trim()).toMatch(/^✖ --email: must be an email address/);

      const runtime = await startLocalRuntime({
        port: 0,
        dataDir,
        webRoot: null,
        runSchedules: false,
        quiet: true,
      });
      try {
        const operator = new ApiClient(runtime.url);
        const login = await operator.post('/api/v1/operator/auth/login', {
          email: 'ops@example.com',
          password: 'operator password 1',
        });
        expect(login.status).toBe(200);
      } finally {
        await runtime.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
