/** Configuration a function receives through its environment (set by the CDK app or the local runtime). */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

export const tableName = (): string => requiredEnv('TABLE_NAME');
export const eventBusName = (): string => requiredEnv('EVENT_BUS_NAME');
