import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultElasticsearchVersion,
  defaultKafkaVersion,
  kafkaNodePorts,
  packageDir,
  resolveStackOptions,
} from './options.ts';

describe('resolveStackOptions', () => {
  it('defaults to Kafka on 9092 and Elasticsearch on 9200 with the pinned versions', () => {
    const options = resolveStackOptions({ env: {} });
    expect(options.kafka).toMatchObject({
      port: 9092,
      nodes: undefined,
      version: defaultKafkaVersion,
      heapMb: 512,
      saslPort: undefined,
      scramUsers: [],
    });
    expect(options.elasticsearch).toMatchObject({
      port: 9200,
      transportPort: 9300,
      heapMb: 512,
      user: 'triage-es',
    });
    expect(options.readyTimeoutMs).toBe(120_000);
    expect(options.stackDir).toBe(join(packageDir, '..', '..', '.stack'));
  });

  it("takes a SASL_SSL port and SCRAM users from the env or options, and refuses a port inside Kafka's range", () => {
    const fromEnv = resolveStackOptions({
      env: { TRIAGE_KAFKA_SASL_PORT: '9192', TRIAGE_KAFKA_SCRAM_USERS: 'splitter, hasher' },
    });
    expect(fromEnv.kafka.saslPort).toBe(9192);
    expect(fromEnv.kafka.scramUsers).toEqual(['splitter', 'hasher']);
    expect(
      resolveStackOptions({ env: {}, kafkaSaslPort: 9300, kafkaScramUsers: ['x'] }).kafka.scramUsers,
    ).toEqual(['x']);
    expect(() => resolveStackOptions({ env: {}, kafkaSaslPort: 9094 })).toThrow(
      /TRIAGE_KAFKA_SASL_PORT 9094 overlaps/,
    );
  });

  it('reads TRIAGE_* variables, and explicit options win over them', () => {
    const env = { TRIAGE_KAFKA_PORT: '19092', TRIAGE_ES_PORT: '19200', TRIAGE_KAFKA_NODES: '3' };
    const fromEnv = resolveStackOptions({ env });
    expect(fromEnv.kafka.port).toBe(19092);
    expect(fromEnv.kafka.nodes).toBe(3);
    expect(fromEnv.elasticsearch.transportPort).toBe(19300);
    const explicit = resolveStackOptions({ env, kafkaPort: 29092, kafkaNodes: 1 });
    expect(explicit.kafka.port).toBe(29092);
    expect(explicit.kafka.nodes).toBe(1);
  });

  it('rejects a bad node count and ports that overlap, naming the variable', () => {
    expect(() => resolveStackOptions({ env: { TRIAGE_KAFKA_NODES: '2' } })).toThrow(/TRIAGE_KAFKA_NODES/);
    expect(() => resolveStackOptions({ env: {}, kafkaPort: 9196, elasticsearchPort: 9200 })).toThrow(
      /TRIAGE_ES_PORT 9200.*overlaps/,
    );
  });
});

describe('kafkaNodePorts', () => {
  it('gives node n the broker port base+2(n-1) and the controller port after it', () => {
    expect([1, 2, 3].map((id) => kafkaNodePorts(9092, id))).toEqual([
      { broker: 9092, controller: 9093 },
      { broker: 9094, controller: 9095 },
      { broker: 9096, controller: 9097 },
    ]);
  });
});

describe('pinned versions', () => {
  const read = (path: string): string => readFileSync(join(packageDir, path), 'utf8');

  it('are the same in the TypeScript defaults, the poms and deploy/compose.yaml', () => {
    expect(read('maven/kafka/pom.xml')).toContain(`<kafka.version>${defaultKafkaVersion}</kafka.version>`);
    expect(read('maven/elasticsearch/pom.xml')).toContain(
      `<elasticsearch.version>${defaultElasticsearchVersion}</elasticsearch.version>`,
    );
    const compose = read('../compose.yaml');
    expect(compose).toContain(`image: apache/kafka:${defaultKafkaVersion}`);
    expect(compose).toContain(`elasticsearch/elasticsearch:${defaultElasticsearchVersion}`);
  });
});
