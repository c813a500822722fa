import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TriageError } from '@triage/errors';
import { packageDir } from './options.ts';
import { runCommand, runCommandOrFail } from './run-command.ts';
import {
  elasticsearchDistDir,
  elasticsearchZipFile,
  kafkaDistDir,
  makeWorldReadableDir,
} from './stack-layout.ts';
import type { StackProgress } from './types.ts';

/**
 * Fetches the servers from Maven Central with the poms in deploy/local/maven, once: a
 * `.complete` marker in each dist dir says the copy finished. Maven runs in batch mode with no
 * stdin and caches in ~/.m2, so a fresh clone needs only `mvn` and a JDK.
 */

export interface FetchOptions {
  stackDir: string;
  version: string;
  mavenCommand: string;
  javaHome: string;
  env: NodeJS.ProcessEnv;
  onProgress: (event: StackProgress) => void;
}

const completeMarker = '.complete';

/** Returns the lib dir holding Kafka's jars, log4j2 and slf4j 2. */
export async function ensureKafkaDist(options: FetchOptions): Promise<string> {
  const distDir = kafkaDistDir(options.stackDir, options.version);
  const libDir = join(distDir, 'lib');
  if (existsSync(join(distDir, completeMarker))) return libDir;
  options.onProgress({
    server: 'kafka',
    step: 'fetch',
    message: `fetching Apache Kafka ${options.version} from Maven Central into ${libDir}`,
  });
  rmSync(distDir, { recursive: true, force: true });
  mkdirSync(distDir, { recursive: true });
  await runMaven(options, 'kafka', [
    `-Dkafka.version=${options.version}`,
    `-Dstack.lib.dir=${libDir}`,
    `-Dstack.build.dir=${join(options.stackDir, 'maven', 'kafka')}`,
  ]);
  const jars = readdirSync(libDir).filter((name) => name.endsWith('.jar'));
  if (
    !jars.some((name) => name.startsWith('kafka_2.13-')) ||
    !jars.some((name) => name.startsWith('log4j-core-'))
  ) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `Maven finished but ${libDir} lacks the Kafka or log4j jars`,
    );
  }
  writeFileSync(join(distDir, completeMarker), `${new Date().toISOString()}\n`);
  options.onProgress({ server: 'kafka', step: 'fetch', message: `fetched ${jars.length} jars` });
  return libDir;
}

/**
 * Returns the unpacked Elasticsearch home under `baseDir` (readable by every user, since the
 * server may run as an unprivileged one). The zip is fetched into the stack dir's dist folder
 * and removed once unpacked.
 */
export async function ensureElasticsearchDist(options: FetchOptions & { baseDir: string }): Promise<string> {
  const distDir = elasticsearchDistDir(options.baseDir, options.version);
  if (existsSync(join(distDir, completeMarker))) return distDir;
  const zip = elasticsearchZipFile(options.stackDir, options.version);
  if (!existsSync(zip)) {
    options.onProgress({
      server: 'elasticsearch',
      step: 'fetch',
      message: `fetching Elasticsearch ${options.version} (integ-test-zip, ~100 MB) from Maven Central`,
    });
    await runMaven(options, 'elasticsearch', [
      `-Delasticsearch.version=${options.version}`,
      `-Dstack.zip.dir=${dirname(zip)}`,
      `-Dstack.build.dir=${join(options.stackDir, 'maven', 'elasticsearch')}`,
    ]);
    if (!existsSync(zip))
      throw new TriageError('TRIAGE_STACK_START_FAILED', `Maven finished but ${zip} is missing`);
  }
  options.onProgress({ server: 'elasticsearch', step: 'fetch', message: `unpacking ${zip}` });
  const unpackDir = join(dirname(distDir), `.unpack-elasticsearch-${options.version}`);
  rmSync(unpackDir, { recursive: true, force: true });
  rmSync(distDir, { recursive: true, force: true });
  makeWorldReadableDir(unpackDir);
  await unzip(zip, unpackDir, options.javaHome);
  const unpacked = join(unpackDir, `elasticsearch-${options.version}`);
  if (!existsSync(join(unpacked, 'bin', 'elasticsearch'))) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `${zip} did not contain elasticsearch-${options.version}/bin`,
    );
  }
  // Scripts must stay executable and everything readable by the user Elasticsearch runs as.
  await runCommandOrFail('making Elasticsearch readable', 'chmod', ['-R', 'a+rX', unpacked]);
  for (const name of readdirSync(join(unpacked, 'bin'))) {
    if (!name.includes('.')) chmodSync(join(unpacked, 'bin', name), 0o755);
  }
  renameSync(unpacked, distDir);
  rmSync(unpackDir, { recursive: true, force: true });
  writeFileSync(join(distDir, completeMarker), `${new Date().toISOString()}\n`);
  // ~/.m2 keeps a copy; Maven copies it back in a second if the unpacked server is ever removed.
  rmSync(zip, { force: true });
  return distDir;
}

async function runMaven(options: FetchOptions, project: string, properties: string[]): Promise<void> {
  const pom = join(packageDir, 'maven', project, 'pom.xml');
  await runCommandOrFail(
    `fetching ${project} with Maven`,
    options.mavenCommand,
    ['-q', '-B', '-f', pom, ...properties, 'package'],
    { env: { ...options.env, JAVA_HOME: options.javaHome } },
  );
}

async function unzip(zip: string, intoDir: string, javaHome: string): Promise<void> {
  const viaUnzip = await runCommand('unzip', ['-q', '-o', zip, '-d', intoDir]);
  if (viaUnzip.code === 0) return;
  // No unzip on this machine: the JDK's jar tool unpacks too (without file modes; fixed after).
  await runCommandOrFail('unpacking Elasticsearch', join(javaHome, 'bin', 'jar'), ['xf', zip], {
    cwd: intoDir,
  });
}
