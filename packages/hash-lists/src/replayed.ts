/** Replays the bytes read ahead (for format detection), then the rest of the source. */
export async function* replayed(
  head: readonly Uint8Array[],
  source: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  try {
    yield* head;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Stopped early (a reader that has seen enough, or an error): close the file.
    await source.return?.();
  }
}
