import { setTimeout as sleep } from 'node:timers/promises';
import { splitStatusKey } from '@triage/bundles';
import type { Logger } from '@triage/logging';
import { GlobalTable, type KafkaConnection, recordCodec } from '@triage/messaging';
import type { BundleStatus, Codec } from '@triage/schemas';

export interface ReceiptBookOptions {
  connection: KafkaConnection;
  /** Deployed name of the bundle status topic (compacted, key bundleId or `${bundleId}#split`). */
  topic: string;
  codec: Codec;
  logger: Logger;
  /** Wait between attempts to load the table while Kafka is down. */
  retryDelayMs?: number;
}

const splitSuffix = splitStatusKey('');

/**
 * Every receipt and split status of intake.status.v1, read in full by each instance: answers
 * re-sent bundles, status requests and the next version of a report. Receipts this instance
 * publishes are applied at once (`record`), before the table reads them back.
 */
export class ReceiptBook {
  readonly #options: ReceiptBookOptions;
  readonly #receipts = new Map<string, BundleStatus>();
  readonly #splits = new Map<string, BundleStatus>();
  readonly #latestVersions = new Map<string, number>();
  #table: GlobalTable<BundleStatus> | undefined;
  #ready = false;
  #closed = false;
  #starting: Promise<void> | undefined;

  constructor(options: ReceiptBookOptions) {
    this.#options = options;
  }

  /** True once the whole topic has been read: before that no bundle may be accepted. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Loads the topic, retrying while Kafka is unavailable; resolves when caught up (or closed). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  receipt(bundleId: string): BundleStatus | undefined {
    return this.#receipts.get(bundleId);
  }

  splitStatus(bundleId: string): BundleStatus | undefined {
    return this.#splits.get(bundleId);
  }

  /** The highest version any receipt gave this report id; 0 for a report never seen. */
  latestVersion(reportId: string): number {
    return this.#latestVersions.get(reportId) ?? 0;
  }

  /** Applies a receipt this instance has just published. */
  record(receipt: BundleStatus): void {
    this.#apply(receipt.bundleId, receipt);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#table?.close();
  }

  async #start(): Promise<void> {
    const { logger } = this.#options;
    for (let attempt = 0; !this.#closed; attempt++) {
      const table = new GlobalTable<BundleStatus>({
        name: 'intake-status',
        connection: this.#options.connection,
        topic: this.#options.topic,
        codec: recordCodec(this.#options.codec, 'BundleStatus'),
        logger,
        keepRows: false,
        onChange: (key, value) => this.#apply(key, value),
      });
      this.#table = table;
      try {
        await table.start();
        this.#ready = true;
        logger.info({ receipts: this.#receipts.size }, 'bundle status table loaded');
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'bundle status table not loaded: intake refuses bundles');
        await table.close().catch(() => undefined);
        await sleep(Math.min((this.#options.retryDelayMs ?? 1_000) * 2 ** attempt, 15_000));
      }
    }
  }

  #apply(key: string, value: BundleStatus | null): void {
    if (key.endsWith(splitSuffix)) {
      const bundleId = key.slice(0, -splitSuffix.length);
      if (value) this.#splits.set(bundleId, value);
      else this.#splits.delete(bundleId);
      return;
    }
    if (!value) {
      this.#receipts.delete(key);
      return;
    }
    this.#receipts.set(key, value);
    for (const report of value.reports) {
      if (report.version > this.latestVersion(report.reportId)) {
        this.#latestVersions.set(report.reportId, report.version);
      }
    }
  }
}
