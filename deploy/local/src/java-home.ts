import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { Env } from '@triage/config';
import { TriageError } from '@triage/errors';

export interface JavaHome {
  home: string;
  java: string;
  /** Feature release, e.g. 17. */
  major: number;
}

/**
 * The JDK both servers run on: the explicit one, else JAVA_HOME, else the `java` on PATH
 * (symlinks followed). Kafka 4.x brokers and Elasticsearch 8.x both need 17 or newer.
 */
export function findJavaHome(explicit: string | undefined, env: Env): JavaHome {
  const home = explicit ?? env.JAVA_HOME ?? javaHomeFromPath(env.PATH ?? '');
  if (home === undefined) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      'no Java found: install a JDK 17+ or set TRIAGE_JAVA_HOME (or JAVA_HOME)',
    );
  }
  const java = join(home, 'bin', 'java');
  if (!isExecutable(java)) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `${java} is not an executable (TRIAGE_JAVA_HOME/JAVA_HOME)`,
    );
  }
  const major = javaMajor(home);
  if (major !== undefined && major < 17) {
    throw new TriageError(
      'TRIAGE_STACK_START_FAILED',
      `${home} is Java ${major}; Kafka 4 and Elasticsearch 8 need 17 or newer (set TRIAGE_JAVA_HOME)`,
    );
  }
  return { home, java, major: major ?? 17 };
}

function javaHomeFromPath(path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'java');
    if (isExecutable(candidate)) return dirname(dirname(realpathSync(candidate)));
  }
  return undefined;
}

/** From the JDK's `release` file (`JAVA_VERSION="17.0.15"`). */
function javaMajor(home: string): number | undefined {
  try {
    const match = /^JAVA_VERSION="(\d+)/m.exec(readFileSync(join(home, 'release'), 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
