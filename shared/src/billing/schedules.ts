/** When the hourly billing sweep runs (UTC): the topology schedules it; the test clock replays it. */
export const HOURLY_SWEEP_EXPRESSION = 'cron(0 * * * ? *)';
