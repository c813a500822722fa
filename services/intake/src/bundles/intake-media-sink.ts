import { Readable } from 'node:stream';
import type { MediaSink, StoredMedia } from '@triage/bundles';
import type { ContentStore, StagedContent } from '@triage/content-store';
import { sniffMediaType } from '@triage/hashing';

/**
 * Intake's media sink: every entry is streamed into the content store's staging area (hashed on
 * the way, never buffered whole) and remembered. Nothing is visible in the store until the bundle
 * is accepted (`commitAll`); a rejected bundle leaves nothing behind (`discardAll`).
 */
const noop = () => undefined;

export class IntakeMediaSink implements MediaSink {
  readonly #store: ContentStore;
  readonly #staged: { file: StagedContent; media: boolean }[] = [];
  readonly #inFlight = new Set<{ source: Readable; done: Promise<void> }>();
  #settled = false;

  constructor(store: ContentStore) {
    this.#store = store;
  }

  async accept(_entryName: string, bytes: NodeJS.ReadableStream): Promise<StoredMedia> {
    const staged = await this.#stage(bytes, true);
    return {
      sha256: staged.sha256,
      md5: staged.md5,
      sha1: staged.sha1,
      size: staged.size,
      mediaType: sniffMediaType(staged.head).mediaType,
    };
  }

  /** Stages bytes that are not a media entry (the request's own document, kept as the bundle source). */
  stageSource(bytes: Buffer): Promise<StagedContent> {
    return this.#stage(bytes, false);
  }

  #stage(bytes: NodeJS.ReadableStream | Buffer, media: boolean): Promise<StagedContent> {
    const source = Buffer.isBuffer(bytes)
      ? Readable.from([bytes])
      : bytes instanceof Readable
        ? bytes
        : Readable.from(bytes as AsyncIterable<Buffer>);
    const work = (async () => {
      const staged = await this.#store.stage(source);
      if (this.#settled) {
        // The bundle was decided while these bytes were still arriving: keep nothing.
        await this.#store.discard(staged);
        return staged;
      }
      this.#staged.push({ file: staged, media });
      return staged;
    })();
    const entry = { source, done: work.then(noop, noop) };
    this.#inFlight.add(entry);
    void entry.done.then(() => this.#inFlight.delete(entry));
    return work;
  }

  /** The sha256 of every file staged so far (media and the request's own document). */
  stagedSha256s(): string[] {
    return this.#staged.map(({ file }) => file.sha256);
  }

  /** Makes every staged file durable; returns how many the store did not hold before. */
  async commitAll(): Promise<{ newFiles: number }> {
    this.#settled = true;
    const created = new Set<string>();
    try {
      // Together: each commit waits on fsyncs, and the disk takes several at once far faster.
      await Promise.all(
        this.#staged.map(async ({ file, media }) => {
          if ((await this.#store.commit(file)).created && media) created.add(file.sha256);
        }),
      );
    } finally {
      await this.#removeTemporaries();
    }
    return { newFiles: created.size };
  }

  /**
   * Drops every staged file: the bundle was refused. Uploads still streaming (a refusal in the
   * middle of a part) are stopped and awaited, so nothing is left once the answer goes out.
   */
  async discardAll(): Promise<void> {
    this.#settled = true;
    const inFlight = [...this.#inFlight];
    for (const { source } of inFlight) source.destroy(new Error('bundle refused'));
    await Promise.all(inFlight.map(({ done }) => done));
    await this.#removeTemporaries();
  }

  async #removeTemporaries(): Promise<void> {
    const staged = this.#staged.splice(0);
    await Promise.all(staged.map(({ file }) => this.#store.discard(file)));
  }
}
