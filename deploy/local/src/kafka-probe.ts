import { Socket } from 'node:net';

/**
 * Two Kafka requests over a raw socket, enough to tell whether a broker serves: Metadata v4
 * (brokers, topics, partition leaders) and CreateTopics v2. Both are the oldest versions
 * Kafka 4.x still accepts (KIP-896) and are non-flexible, so the encoding stays small.
 * The local stack uses this for readiness only; application code uses a real client.
 */

export interface KafkaBrokerAddress {
  host: string;
  port: number;
}

interface KafkaMetadataPartition {
  partition: number;
  errorCode: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

interface KafkaMetadataTopic {
  name: string;
  errorCode: number;
  partitions: KafkaMetadataPartition[];
}

export interface KafkaMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  topics: KafkaMetadataTopic[];
}

export interface CreateTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

/** Kafka error codes the readiness check tells apart. */
export const kafkaErrorCodes = {
  none: 0,
  unknownTopicOrPartition: 3,
  leaderNotAvailable: 5,
  topicAlreadyExists: 36,
  invalidReplicationFactor: 38,
} as const;

const apiKeyMetadata = 3;
const apiKeyCreateTopics = 19;
const clientId = 'triage-local-stack';

/** Metadata for the named topics (or none: `[]`), from one broker. */
export async function fetchKafkaMetadata(
  broker: KafkaBrokerAddress,
  topics: string[],
  timeoutMs = 3000,
): Promise<KafkaMetadata> {
  const body = new Writer();
  body.array(topics, (name) => body.string(name));
  body.boolean(false); // allow_auto_topic_creation
  const response = await roundTrip(broker, apiKeyMetadata, 4, body.bytes(), timeoutMs);
  return decodeMetadataV4(new Reader(response));
}

/** Asks the cluster (through one broker) to create a topic; resolves with the broker's answer. */
export async function createKafkaTopic(
  broker: KafkaBrokerAddress,
  topic: { name: string; partitions: number; replicationFactor: number },
  timeoutMs = 5000,
): Promise<CreateTopicResult> {
  const body = new Writer();
  body.int32(1);
  body.string(topic.name);
  body.int32(topic.partitions);
  body.int16(topic.replicationFactor);
  body.int32(0); // assignments
  body.int32(0); // configs
  body.int32(timeoutMs);
  body.boolean(false); // validate_only
  const response = await roundTrip(broker, apiKeyCreateTopics, 2, body.bytes(), timeoutMs + 1000);
  const reader = new Reader(response);
  reader.int32(); // throttle_time_ms
  const results = reader.array(() => ({
    name: reader.string(),
    errorCode: reader.int16(),
    errorMessage: reader.nullableString(),
  }));
  const result = results.find((entry) => entry.name === topic.name);
  if (!result) throw new Error(`CreateTopics answer did not mention ${topic.name}`);
  return result;
}

function decodeMetadataV4(reader: Reader): KafkaMetadata {
  reader.int32(); // throttle_time_ms
  const brokers = reader.array(() => {
    const nodeId = reader.int32();
    const host = reader.string();
    const port = reader.int32();
    reader.nullableString(); // rack
    return { nodeId, host, port };
  });
  const clusterId = reader.nullableString();
  const controllerId = reader.int32();
  const topics = reader.array(() => {
    const errorCode = reader.int16();
    const name = reader.string();
    reader.boolean(); // is_internal
    const partitions = reader.array(() => ({
      errorCode: reader.int16(),
      partition: reader.int32(),
      leader: reader.int32(),
      replicas: reader.array(() => reader.int32()),
      isr: reader.array(() => reader.int32()),
    }));
    return { name, errorCode, partitions };
  });
  return { clusterId, controllerId, brokers, topics };
}

/** Sends one request (header v1) and returns the response body after the correlation id. */
function roundTrip(
  broker: KafkaBrokerAddress,
  apiKey: number,
  apiVersion: number,
  body: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  const correlationId = 1;
  const header = new Writer();
  header.int16(apiKey);
  header.int16(apiVersion);
  header.int32(correlationId);
  header.string(clientId);
  const payload = Buffer.concat([header.bytes(), body]);
  const frame = Buffer.alloc(4 + payload.length);
  frame.writeInt32BE(payload.length, 0);
  payload.copy(frame, 4);

  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      outcome();
    };
    const fail = (error: Error): void => settle(() => reject(error));
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`no answer from ${broker.host}:${broker.port} in ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      if (received.readInt32BE(4) !== correlationId) {
        fail(new Error('Kafka answered with a different correlation id'));
        return;
      }
      settle(() => resolve(received.subarray(8, 4 + size)));
    });
    socket.once('close', () => fail(new Error(`${broker.host}:${broker.port} closed the connection`)));
    socket.connect(broker.port, broker.host, () => socket.write(frame));
  });
}

class Writer {
  private readonly parts: Buffer[] = [];

  int16(value: number): void {
    const part = Buffer.alloc(2);
    part.writeInt16BE(value, 0);
    this.parts.push(part);
  }

  int32(value: number): void {
    const part = Buffer.alloc(4);
    part.writeInt32BE(value, 0);
    this.parts.push(part);
  }

  boolean(value: boolean): void {
    this.parts.push(Buffer.from([value ? 1 : 0]));
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
  }

  array<T>(items: T[], write: (item: T) => void): void {
    this.int32(items.length);
    for (const item of items) write(item);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  readonly buffer: Buffer;
  private offset = 0;

  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  boolean(): boolean {
    const value = this.buffer.readInt8(this.offset) !== 0;
    this.offset += 1;
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  string(): string {
    return this.nullableString() ?? '';
  }

  array<T>(read: () => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let index = 0; index < length; index += 1) items.push(read());
    return items;
  }
}
