/** Where the consumer records the newest platform heartbeat it has seen. */
export interface HeartbeatRepository {
  /** Records a heartbeat unless a newer one is already recorded (duplicates and stragglers are no-ops). */
  record(heartbeat: { eventId: string; at: Date }): Promise<'recorded' | 'ignored'>;
  lastHeartbeatAt(): Promise<Date | undefined>;
}
