import { opsListeningMessage } from '../ops-server.ts';

/**
 * The ops server's URL from a service's log (its `ops server listening` line, written at level
 * info): how a test that started it with `<SERVICE>_OPS_PORT=0` finds the port it got.
 */
export function loggedOpsUrl(output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(`"msg":"${opsListeningMessage}"`)) continue;
    const { opsUrl } = JSON.parse(line) as { opsUrl?: string };
    if (opsUrl) return opsUrl;
  }
  return undefined;
}
