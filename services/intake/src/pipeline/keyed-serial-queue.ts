/**
 * Runs tasks of one key one after another, tasks of different keys side by side. Intake uses
 * `bundle:<id>` (one request per bundle reference: replay or 409 before anything is stored) and
 * `takedowns` (takedown requests one at a time: their rules cross partners).
 */
export class KeyedSerialQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
