import path from 'node:path';
import {
  type KafkaNodeCount,
  type KafkaNodeOptions,
  stackUp,
  startKafkaNode,
  stopKafkaNode,
} from '@triage/local-stack';
import type { SuiteContext } from '../lib/suite.ts';
import type { BrokerUnderTest } from './broker.ts';

/**
 * The bake-off's Kafka, from the project's local stack (deploy/local), as a cluster of its own:
 * port BENCH_KAFKA_PORT (default 9392; 1 node, or BENCH_KAFKA_NODES=3) in stack dir
 * BENCH_STACK_DIR (default `.stack/bench`). Its own because the recovery check kills Kafka while
 * the shared broker on 9092 may be serving someone's tests, and its own stack dir because
 * `triage stack down` stops every cluster of the default stack dir, a benchmark's included.
 *
 * Outage: a 1-node cluster loses its only node (SIGKILL, then start); a 3-node cluster (RF 3,
 * min.insync.replicas 2) loses node 1, so the clients must fail over rather than wait.
 */
export async function localStackBroker(
  ctx: SuiteContext,
): Promise<BrokerUnderTest & { release(): Promise<void> }> {
  const kafkaPort = Number(process.env.BENCH_KAFKA_PORT ?? 9392);
  const kafkaNodes = Number(process.env.BENCH_KAFKA_NODES ?? 1) as KafkaNodeCount;
  if (kafkaNodes !== 1 && kafkaNodes !== 3)
    throw new Error(`BENCH_KAFKA_NODES must be 1 or 3, got ${kafkaNodes}`);
  const stackDir = process.env.BENCH_STACK_DIR ?? path.join(ctx.repoRoot, '.stack', 'bench');
  const onProgress = ({ server, message }: { server: string; message: string }) =>
    ctx.log(`stack ${server}: ${message}`);
  ctx.log(`starting the bench Kafka cluster (local stack, port ${kafkaPort}, ${kafkaNodes} node(s))`);
  const up = await stackUp({
    stackDir,
    kafka: true,
    elasticsearch: false,
    kafkaPort,
    kafkaNodes,
    onProgress,
  });
  const kafka = up.kafka;
  if (!kafka) throw new Error('the local stack started no Kafka');
  const nodeOptions: KafkaNodeOptions = { stackDir, kafkaPort, kafkaNodes, onProgress };
  const victim = 1;
  const startedHere = kafka.servers.filter((server) => !server.reused);
  return {
    brokers: kafka.brokers,
    nodes: kafka.nodes,
    kafkaVersion: kafka.version,
    description:
      kafka.nodes === 1
        ? `local stack, 1 node on port ${kafkaPort}`
        : `local stack, ${kafka.nodes} nodes from port ${kafkaPort}; the recovery check kills node ${victim} only`,
    async crash() {
      await stopKafkaNode(victim, { ...nodeOptions, kill: true });
    },
    async restart() {
      await startKafkaNode(victim, nodeOptions);
    },
    async release() {
      // Stop only what this run started; a cluster that was already running stays up.
      for (const server of startedHere) {
        await stopKafkaNode(Number(server.name.replace('kafka-', '')), nodeOptions);
      }
    },
  };
}
