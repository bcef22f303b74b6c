/**
 * How every Lambda bundle is built, shared by the CDK app (NodejsFunction) and the bundle-size
 * benchmark so the figures describe what deploys.
 */
export const lambdaBundling = {
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node24',
  minify: true,
  /** The nodejs24.x runtime ships AWS SDK v3; bundling it again would only add weight and cold start. */
  external: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  /** ESM bundles still meet CommonJS dependencies that call require(). */
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
};
