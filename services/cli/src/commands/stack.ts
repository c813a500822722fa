import { TriageError } from '@triage/errors';
import {
  type KafkaNodeCount,
  type StackDownResult,
  type StackProgress,
  type StackStatus,
  type StackUpResult,
  stackDown,
  stackStatus,
  stackUp,
  startKafkaNode,
  stopKafkaNode,
} from '@triage/local-stack';
import { type Command, Option } from 'commander';

/** `triage stack up|down|status|stop-node|start-node`: the local Kafka and Elasticsearch (deploy/local). */
export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .description('The local Kafka (1 or 3 KRaft nodes) and Elasticsearch, fetched from Maven Central');
  registerUp(stack);
  registerDown(stack);
  registerStatus(stack);
  registerStopNode(stack);
  registerStartNode(stack);
}

interface UpFlags {
  kafkaNodes?: string;
  kafkaPort?: string;
  kafkaSaslPort?: string;
  kafkaScramUser?: string[];
  esPort?: string;
  kafka: boolean;
  elasticsearch: boolean;
}

function registerUp(stack: Command): void {
  stack
    .command('up')
    .description('Start Kafka and Elasticsearch unless running, and wait until they serve')
    .addOption(kafkaNodesOption())
    .addOption(new Option('--kafka-port <port>', 'first Kafka broker port (env TRIAGE_KAFKA_PORT, 9092)'))
    .addOption(
      new Option(
        '--kafka-sasl-port <port>',
        'also serve SASL_SSL (SCRAM, keytool TLS, ACLs enforced) on this port (env TRIAGE_KAFKA_SASL_PORT; kept once set)',
      ),
    )
    .addOption(
      new Option(
        '--kafka-scram-user <name...>',
        'SCRAM users to create besides admin (env TRIAGE_KAFKA_SCRAM_USERS)',
      ),
    )
    .addOption(new Option('--es-port <port>', 'Elasticsearch HTTP port (env TRIAGE_ES_PORT, 9200)'))
    .option('--no-kafka', 'leave Kafka alone')
    .option('--no-elasticsearch', 'leave Elasticsearch alone')
    .action(async (options: UpFlags) => {
      const result = await stackUp({
        kafka: options.kafka,
        elasticsearch: options.elasticsearch,
        kafkaNodes: parseNodes(options.kafkaNodes),
        kafkaPort: parsePort(options.kafkaPort, '--kafka-port'),
        kafkaSaslPort: parsePort(options.kafkaSaslPort, '--kafka-sasl-port'),
        ...(options.kafkaScramUser ? { kafkaScramUsers: options.kafkaScramUser } : {}),
        elasticsearchPort: parsePort(options.esPort, '--es-port'),
        onProgress: printProgress,
      });
      printLines(upLines(result));
    });
}

/** What `stack up` reports: each server group with its version and address, then the time taken. */
export function upLines(result: StackUpResult): string[] {
  const lines: string[] = [];
  if (result.kafka) {
    const reused = result.kafka.servers.every((server) => server.reused) ? ' (already running)' : '';
    lines.push(
      `Kafka ${result.kafka.version}, ${result.kafka.nodes} node(s): ${result.kafka.bootstrapServers}${reused}`,
    );
    const sasl = result.kafka.saslSsl;
    if (sasl) {
      lines.push(
        `Kafka SASL_SSL: KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_BROKERS=${sasl.bootstrapServers} KAFKA_SSL_CA_FILE=${sasl.caFile}`,
        ...Object.entries(sasl.passwordFiles).map(
          ([user, file]) => `  KAFKA_SASL_USERNAME=${user} KAFKA_SASL_PASSWORD_FILE=${file}`,
        ),
      );
    }
  }
  if (result.elasticsearch) {
    const reused = result.elasticsearch.servers.every((server) => server.reused) ? ' (already running)' : '';
    lines.push(`Elasticsearch ${result.elasticsearch.version}: ${result.elasticsearch.url}${reused}`);
  }
  lines.push(`ready in ${(result.totalMs / 1000).toFixed(2)} s`);
  return lines;
}

interface DownFlags {
  kafka: boolean;
  elasticsearch: boolean;
  all?: boolean;
  kafkaPort?: string;
  esPort?: string;
}

function registerDown(stack: Command): void {
  stack
    .command('down')
    .description('Stop the servers this stack started (SIGTERM, then SIGKILL after a timeout); data stays')
    .addOption(new Option('--kafka-port <port>', 'first Kafka broker port (env TRIAGE_KAFKA_PORT, 9092)'))
    .addOption(new Option('--es-port <port>', 'Elasticsearch HTTP port (env TRIAGE_ES_PORT, 9200)'))
    .option('--all', 'also stop servers this stack started on other ports (benchmarks, fault tests)')
    .option('--no-kafka', 'leave Kafka running')
    .option('--no-elasticsearch', 'leave Elasticsearch running')
    .action(async (options: DownFlags) => {
      const result = await stackDown({
        kafka: options.kafka,
        elasticsearch: options.elasticsearch,
        all: options.all ?? false,
        kafkaPort: parsePort(options.kafkaPort, '--kafka-port'),
        elasticsearchPort: parsePort(options.esPort, '--es-port'),
        onProgress: printProgress,
      });
      printLines(downLines(result));
    });
}

/** What `stack down` reports: each stopped server and how, or that nothing was running. */
export function downLines(result: StackDownResult): string[] {
  if (result.stopped.length === 0) return ['nothing was running'];
  return result.stopped.map(
    (server) => `${server.name} (pid ${server.pid}) ${server.how} in ${(server.ms / 1000).toFixed(1)} s`,
  );
}

function registerStatus(stack: Command): void {
  stack
    .command('status')
    .description('Each server: running or stopped, pid, port, version, memory')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const status = stackStatus();
      printLines(options.json ? [JSON.stringify(status, null, 2)] : statusLines(status));
    });
}

/** `stack status` as a table: one row per server, `-` where a stopped server has no pid or memory. */
export function statusLines(status: StackStatus): string[] {
  return tableLines(
    ['server', 'group', 'state', 'pid', 'port', 'version', 'rss'],
    status.servers.map((server) => [
      server.name,
      server.group,
      server.state,
      server.pid === undefined ? '-' : String(server.pid),
      String(server.port),
      server.version,
      server.rssKb === undefined ? '-' : `${Math.round(server.rssKb / 1024)} MB`,
    ]),
  );
}

function registerStopNode(stack: Command): void {
  stack
    .command('stop-node <id>')
    .description('Stop one Kafka node of the running cluster (fault drills); --kill for SIGKILL')
    .option('--kill', 'SIGKILL instead of SIGTERM')
    .action(async (id: string, options: { kill?: boolean }) => {
      const stopped = await stopKafkaNode(parseNodeId(id), {
        kill: options.kill ?? false,
        onProgress: printProgress,
      });
      console.log(
        stopped ? `kafka-${id} (pid ${stopped.pid}) ${stopped.how}` : `kafka-${id} was not running`,
      );
    });
}

function registerStartNode(stack: Command): void {
  stack
    .command('start-node <id>')
    .description('Start one stopped Kafka node and wait until the cluster serves again')
    .addOption(
      new Option('--kafka-port <port>', 'first broker port of the cluster (env TRIAGE_KAFKA_PORT, 9092)'),
    )
    .action(async (id: string, options: { kafkaPort?: string }) => {
      const started = await startKafkaNode(parseNodeId(id), {
        kafkaPort: parsePort(options.kafkaPort, '--kafka-port'),
        onProgress: printProgress,
      });
      console.log(`kafka-${id} (pid ${started.pid}) ${started.reused ? 'was already running' : 'started'}`);
    });
}

function kafkaNodesOption(): Option {
  return new Option(
    '--kafka-nodes <n>',
    'Kafka nodes (env TRIAGE_KAFKA_NODES; default: what runs, else 1)',
  ).choices(['1', '3']);
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function tableLines(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function printLines(lines: readonly string[]): void {
  for (const line of lines) console.log(line);
}

function printProgress(event: StackProgress): void {
  console.log(`[${event.server}] ${event.message}`);
}

function parseNodes(value: string | undefined): KafkaNodeCount | undefined {
  return value === undefined ? undefined : (Number(value) as KafkaNodeCount);
}

export function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${flag} must be a port number, got ${value}`);
  }
  return port;
}

export function parseNodeId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1)
    throw new TriageError('TRIAGE_CONFIG_INVALID', `node id must be 1, 2 or 3, got ${value}`);
  return id;
}
