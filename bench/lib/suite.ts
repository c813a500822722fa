/**
 * The contract every benchmark suite implements. `bench/run.ts` runs suites from the registry
 * (`bench/suites.ts`) and splices each one's markdown section into docs/benchmarks.md.
 */

/** What a suite gets from the runner. */
export interface SuiteContext {
  /** Absolute path of the repository root. */
  readonly repoRoot: string;
  /** BENCH_SCALE: multiplies record counts so a quick run (e.g. 0.1) is possible. */
  readonly scale: number;
  /** Command-line flags (`--reuse`...): each suite reads the ones it knows and ignores the rest. */
  readonly flags: readonly string[];
  /** Progress output (stderr); never part of the report. */
  readonly log: (message: string) => void;
}

/** One fact about the system under test, shown in the section's run table (e.g. Kafka version). */
export interface SuiteFact {
  readonly name: string;
  readonly value: string;
}

export interface SuiteResult {
  /** Markdown body of the section, without the section heading (the runner writes it). */
  readonly markdown: string;
  /** Facts about what was measured against (server versions, topology...). */
  readonly facts: readonly SuiteFact[];
}

export interface Suite {
  /** Stable id: used on the command line (`pnpm bench <name>`) and in the section markers. */
  readonly name: string;
  /** Section heading in docs/benchmarks.md. */
  readonly title: string;
  /** Runs the suite; throws when it cannot measure (the file is then left untouched). */
  run(ctx: SuiteContext): Promise<SuiteResult>;
}
