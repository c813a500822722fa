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
 * A Kafka cluster of the bake-off's own, from the project's local stack (deploy/local), in stack dir
 * BENCH_STACK_DIR (default `.stack/bench`): 1 node on port BENCH_KAFKA_PORT (default 9392), or 3
 * nodes from that port + 100. Its own because the recovery check kills Kafka while the shared broker
 * on 9092 may be serving someone's tests, and its own stack dir because `triage stack down` stops
 * every cluster of the default stack dir, a benchmark's included.
 *
 * Outage: a 1-node cluster loses its only node (SIGKILL, then start); a 3-node cluster (RF 3,
 * min.insync.replicas 2) loses node 1, so the clients must fail over to the new leaders.
 */
export async function localStackBroker(
  ctx: SuiteContext,
  kafkaNodes: KafkaNodeCount,
): Promise<BrokerUnderTest & { release(): Promise<void> }> {
  const basePort = Number(process.env.BENCH_KAFKA_PORT ?? 9392);
  const kafkaPort = kafkaNodes === 1 ? basePort : basePort + 100;
  const stackDir = process.env.BENCH_STACK_DIR ?? path.join(ctx.repoRoot, '.stack', 'bench');
  const onProgress = ({ server, message }: { server: string; message: string }) =>
    ctx.log(`stack ${server}: ${message}`);
  ctx.log(`starting a bench Kafka cluster (local stack, port ${kafkaPort}, ${kafkaNodes} node(s))`);
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
        : `local stack, ${kafka.nodes} nodes from port ${kafkaPort}, RF ${kafka.nodes}, min.insync.replicas 2`,
    outage: kafka.nodes === 1 ? 'its only node killed' : `node ${victim} of ${kafka.nodes} killed`,
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
