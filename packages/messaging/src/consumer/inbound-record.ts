/** A consumed record as handlers see it: raw bytes, decoded by the handler with the schema codec. */
export interface InboundRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string | null;
  /** null for a tombstone. */
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: bigint;
}
