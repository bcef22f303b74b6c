import { fileURLToPath } from 'node:url';
import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/**
 * The web app (SvelteKit 3 + Svelte 5). Kit's options go to `sveltekit({...})`: there is no
 * svelte.config.js in Kit 3. Paths are absolute so the build works from any working directory:
 *   vite build --config web/vite.config.ts   →   web/build (SPA shell + 200.html fallback)
 */
const webDir = fileURLToPath(new URL('.', import.meta.url));
const buildDir = fileURLToPath(new URL('./build', import.meta.url));

export default defineConfig({
  root: webDir,
  plugins: [
    sveltekit({
      adapter: adapter({ pages: buildDir, assets: buildDir, fallback: '200.html', strict: true }),
      // One small app: nothing to gain from a version poll every hour.
      version: { pollInterval: 0 },
    }),
  ],
  // `/api/*` is the API on the same origin. In `vite dev`, proxy it to a local runtime.
  server: {
    proxy: { '/api': process.env.NIMBUS_API_ORIGIN ?? 'http://localhost:3000' },
  },
  build: { reportCompressedSize: false },
});
