import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@triage/logging';
import { DiskKeyedStateStore, type PartitionedStore } from '@triage/messaging';
import type { SavedOpenReport } from './open-reports.ts';
import type { OpenReportsBook } from './scorer-stage.ts';

const fileName = 'open-reports.json';

/**
 * The open reports of a partition saved at a clean stop, in the folder of its report store
 * (`<stateDir>/<reports changelog>/<partition>`): removed with it when the partition moves away or
 * its store is rebuilt. Trusted only when both stores resumed from their checkpoints and read
 * nothing after them, so nothing changed since the save; read once, then removed, so a crash
 * later never finds an old save. Otherwise the partition's reports are swept once.
 */
export function openReportsFile(options: {
  stateDir: string;
  /** Deployed name of the report store's changelog: its folder's name. */
  reportsChangelog: string;
  /** The report and item stores. */
  stores: readonly PartitionedStore[];
  logger: Logger;
}): OpenReportsBook {
  const { stateDir, reportsChangelog, stores, logger } = options;
  const file = (partition: number) => path.join(stateDir, reportsChangelog, String(partition), fileName);
  const unchanged = (partition: number) =>
    stores.every((store) => {
      if (!(store instanceof DiskKeyedStateStore)) return false;
      const restore = store.restores.get(partition);
      return restore?.rebuiltBecause === null && restore.recordsRead === 0;
    });
  return {
    load(partition) {
      let text: string;
      try {
        text = readFileSync(file(partition), 'utf8');
      } catch {
        return null;
      }
      rmSync(file(partition), { force: true });
      if (!unchanged(partition)) return null;
      try {
        return (JSON.parse(text) as { reports: SavedOpenReport[] }).reports;
      } catch (error) {
        logger.warn(
          { err: error, partition },
          'scorer: saved open reports unreadable; sweeping the partition',
        );
        return null;
      }
    },
    save(partition, saved) {
      const target = file(partition);
      try {
        // Into the store's folder, which exists while the partition is held.
        writeFileSync(`${target}.tmp`, JSON.stringify({ reports: saved }));
        renameSync(`${target}.tmp`, target);
      } catch (error) {
        // Only a cost: the restart sweeps the partition instead.
        logger.warn({ err: error, partition }, 'scorer: open reports not saved');
      }
    },
  };
}
