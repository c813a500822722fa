/** A consumed record as handlers see it: raw bytes, decoded by the handler with the schema codec. */
export interface InboundRecord {
  topic: string;
  partition: number;
  offset: bigint;
  key: string | null;
  /** null for a tombstone. */
  value: Buffer | null;
  /** Header values as UTF-8 text (the last one wins where a key repeats). */
  headers: Record<string, string>;
  /** Headers as they came, in order, repeats included: what a dead letter keeps. */
  rawHeaders: [string, Buffer][];
  timestamp: bigint;
}
