/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs this file with tsx).
 *
 * Context (`-c key=value`):
 * - stage: deploys the stack `Nimbus-<stage>` instead of `Nimbus` (several stages per account);
 * - alertEmail: subscribes an address to the ops-alerts topic;
 * - emailFrom: sender of the store's mail (a verified SES identity), default
 *   `Nimbus <no-reply@example.com>`;
 * - registrarUrl: the domain registrar adapter the basket checks availability with (optional);
 * - domainName + certificateArn: serve the site on a custom domain (ACM certificate in us-east-1);
 * - webAssetPath: the built web app, default web/build.
 *
 * The stack is environment-agnostic (no account / region lookups), so synth needs no credentials;
 * `cdk deploy` takes the account and region from the CLI's credentials.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { nimbus } from '../topology/nimbus.ts';
import { NimbusStack } from './nimbus-stack.ts';

const app = new App();

function context(key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context ${key} must be a string`);
  return value;
}

const stage = context('stage');
if (stage !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(stage)) {
  throw new Error(
    `Context stage "${stage}" must be a letter followed by up to 19 letters, digits or hyphens`,
  );
}

const stack = new NimbusStack(app, stage ? `Nimbus-${stage}` : 'Nimbus', {
  description: `Nimbus cloud-services store${stage ? ` (${stage})` : ''}`,
  topology: nimbus,
  webAssetPath: context('webAssetPath'),
  alertEmail: context('alertEmail'),
  emailFrom: context('emailFrom'),
  registrarUrl: context('registrarUrl'),
  domainName: context('domainName'),
  certificateArn: context('certificateArn'),
});
Tags.of(stack).add('app', nimbus.app);
if (stage) Tags.of(stack).add('stage', stage);

// cdk-nag v3 is a policy-validation plugin: unacknowledged findings fail `cdk synth` / `cdk deploy`
// and are listed in cdk.out/validation-report.json.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
