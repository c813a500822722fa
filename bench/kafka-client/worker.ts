/**
 * Child process for one bake-off job (forked by worker-pool.ts). Running each measurement in its
 * own process gives per-client CPU time and peak RSS, and a clean heap for every run.
 */
import { sendProgress, serveChildJob } from '../lib/child-job.ts';
import { type Driver, errorLabel, type OutRecord } from './clients/driver.ts';
import { createKafkajsDriver } from './clients/kafkajs.ts';
import { createPlatformaticDriver } from './clients/platformatic.ts';
import type {
  ConsumeJob,
  Job,
  JobResult,
  Measurement,
  ProduceJob,
  ReadAllJob,
  RecoveryJob,
  RecoveryRun,
} from './jobs.ts';
import { payloadPool, recordKey, seqOfKey } from './payload.ts';

const errors: Record<string, number> = {};
const noteError = (label: string) => {
  errors[label] = (errors[label] ?? 0) + 1;
};

function createDriver(job: Job): Driver {
  return job.client === 'kafkajs'
    ? createKafkajsDriver(job.brokers, noteError)
    : createPlatformaticDriver(job.brokers, noteError);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function buildBatches(job: { records: number; recordBytes: number; batchRecords: number; seed: number }) {
  const pool = payloadPool(job.seed, job.recordBytes);
  const batches: OutRecord[][] = [];
  for (let first = 0; first < job.records; first += job.batchRecords) {
    const batch: OutRecord[] = [];
    for (let seq = first; seq < Math.min(first + job.batchRecords, job.records); seq++) {
      batch.push({ key: recordKey(seq), value: pool[seq % pool.length]! });
    }
    batches.push(batch);
  }
  return batches;
}

async function produce(driver: Driver, job: ProduceJob): Promise<Measurement> {
  const producer = await driver.producer(job.topic);
  const sends = buildBatches(job).map((batch) => producer.prepare(batch));
  let next = 0;
  const lane = async () => {
    while (next < sends.length) await sends[next++]!();
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: job.inFlight }, lane));
  const elapsedMs = performance.now() - started;
  const used = cpuMs(process.cpuUsage(cpu));
  await producer.close();
  return {
    records: job.records,
    bytes: job.records * job.recordBytes,
    elapsedMs,
    cpuMs: used,
    peakRssMb: peakRssMb(),
  };
}

async function consume(driver: Driver, job: ConsumeJob): Promise<Measurement> {
  let count = 0;
  let bytes = 0;
  let first = 0;
  let last = 0;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let cpuUsed = 0;
  const { promise: done, resolve } = Promise.withResolvers<void>();
  const created = performance.now();
  const consumer = await driver.consume({
    topic: job.topic,
    groupId: job.groupId,
    fetch: job.fetch,
    handlers: {
      onRecord(record) {
        if (count === 0) {
          first = performance.now();
          cpuAtFirst = process.cpuUsage();
        }
        count += 1;
        bytes += record.size;
        if (count === job.records) {
          last = performance.now();
          cpuUsed = cpuMs(process.cpuUsage(cpuAtFirst));
          resolve();
        }
      },
      onError: (error) => noteError(errorLabel(error)),
    },
  });
  await done;
  await consumer.close();
  // The timed window starts at the first record: group join is reported apart as startup time.
  return {
    records: count,
    bytes,
    elapsedMs: last - first,
    startupMs: first - created,
    cpuMs: cpuUsed,
    peakRssMb: peakRssMb(),
  };
}

async function readAll(driver: Driver, job: ReadAllJob) {
  const partitions = new Int32Array(job.expected);
  const offsets = new Float64Array(job.expected);
  const seqs = new Int32Array(job.expected);
  let count = 0;
  const { promise: done, resolve } = Promise.withResolvers<void>();
  if (job.expected === 0) resolve();
  const consumer = await driver.consume({
    topic: job.topic,
    groupId: job.groupId,
    fetch: job.fetch,
    handlers: {
      onRecord(record) {
        if (count < job.expected) {
          partitions[count] = record.partition;
          offsets[count] = record.offset;
          seqs[count] = seqOfKey(record.key);
        }
        count += 1;
        if (count === job.expected) resolve();
      },
      onError: (error) => noteError(errorLabel(error)),
    },
  });
  await done;
  await consumer.close();
  return { partitions, offsets, seqs };
}

/**
 * Paced producer and a consumer group in one process while the suite stops and restarts the
 * broker. A send that fails after the client's own retries is retried by the application with
 * the same records (what a pipeline stage does before committing its input).
 */
async function recovery(driver: Driver, job: RecoveryJob): Promise<RecoveryRun> {
  const acked = new Uint8Array(job.records);
  const processed = new Uint8Array(job.records);
  const ackTimes: number[] = [];
  const processTimes: number[] = [];
  let ackedCount = 0;
  let processedDistinct = 0;
  let sendFailures = 0;
  const deadline = Date.now() + job.deadlineMs;

  const consumer = await driver.consume({
    topic: job.topic,
    groupId: job.groupId,
    fetch: job.fetch,
    handlers: {
      onRecord(record) {
        const seq = seqOfKey(record.key);
        if (seq < 0 || seq >= job.records) return;
        if (processed[seq] === 0) processedDistinct += 1;
        processed[seq] = Math.min(255, processed[seq]! + 1);
        processTimes.push(Date.now());
      },
      onError: (error) => noteError(`consumer ${errorLabel(error)}`),
    },
  });

  const progress = setInterval(() => {
    void sendProgress({ acked: ackedCount, processed: processedDistinct });
  }, 200);

  const producer = await driver.producer(job.topic);
  const batches = buildBatches(job);
  const batchMs = (job.batchRecords / job.ratePerSecond) * 1000;
  for (const batch of batches) {
    const started = Date.now();
    const sendBatch = producer.prepare(batch);
    for (;;) {
      try {
        await sendBatch();
        break;
      } catch (error) {
        sendFailures += 1;
        noteError(`producer ${errorLabel(error)}`);
        if (Date.now() > deadline) break;
        await sleep(500);
      }
    }
    if (Date.now() > deadline) break;
    ackTimes.push(Date.now());
    for (const record of batch) {
      const seq = seqOfKey(record.key);
      acked[seq] = 1;
      ackedCount += 1;
    }
    await sleep(Math.max(0, batchMs - (Date.now() - started)));
  }
  await producer.close();

  // Wait for the consumer to catch up; a consumer that has delivered nothing new for a minute
  // while acknowledged records are still missing is not going to get them (they may not exist).
  const everyAckedProcessed = () => acked.every((flag, seq) => flag === 0 || processed[seq]! > 0);
  const idle = () => Date.now() - (processTimes.at(-1) ?? 0) > 60_000;
  while (!everyAckedProcessed() && Date.now() < deadline && !idle()) await sleep(100);
  const completed = ackedCount === job.records && everyAckedProcessed();
  clearInterval(progress);
  await consumer.close();
  return {
    acked,
    processed,
    ackTimes: Float64Array.from(ackTimes),
    processTimes: Float64Array.from(processTimes),
    sendFailures,
    errors: { ...errors },
    completed,
  };
}

async function run(job: Job): Promise<JobResult> {
  const driver = createDriver(job);
  try {
    switch (job.kind) {
      case 'create-topic':
        await driver.createTopic(job.topic, job.partitions, job.replicationFactor);
        return null;
      case 'delete-topics':
        await driver.deleteTopics(job.topics);
        return null;
      case 'offsets':
        return await driver.offsets(job.topic, job.groupId);
      case 'produce':
        return await produce(driver, job);
      case 'consume':
        return await consume(driver, job);
      case 'read-all':
        return await readAll(driver, job);
      case 'recovery':
        return await recovery(driver, job);
    }
  } finally {
    await driver.close();
  }
}

process.on('warning', (warning) => noteError(`process warning ${warning.name}`));

serveChildJob(run);
