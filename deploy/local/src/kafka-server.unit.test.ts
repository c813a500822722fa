import { describe, expect, it } from 'vitest';
import { kafkaServerProperties, newKafkaClusterId } from './kafka-server.ts';

function parse(properties: string): Map<string, string> {
  const entries = properties
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as [string, string];
    });
  return new Map(entries);
}

describe('kafkaServerProperties', () => {
  it('makes a single node broker and controller with RF 1 and no topic auto-creation', () => {
    const props = parse(kafkaServerProperties({ nodeId: 1, nodes: 1, basePort: 9092, dataDir: '/d' }));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('min.insync.replicas')).toBe('1');
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('log.dirs')).toBe('/d');
    expect(props.has('broker.session.timeout.ms')).toBe(false);
  });

  it('gives node 2 of 3 its own ports, all three voters, RF 3, min ISR 2 and a short session', () => {
    const props = parse(kafkaServerProperties({ nodeId: 2, nodes: 3, basePort: 9092, dataDir: '/d2' }));
    expect(props.get('node.id')).toBe('2');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095');
    expect(props.get('default.replication.factor')).toBe('3');
    expect(props.get('transaction.state.log.replication.factor')).toBe('3');
    expect(props.get('min.insync.replicas')).toBe('2');
    expect(props.get('transaction.state.log.min.isr')).toBe('2');
    expect(Number(props.get('broker.session.timeout.ms'))).toBeLessThan(9000);
  });
});

describe('kafkaServerProperties with the SASL_SSL listener', () => {
  const sasl = {
    port: 9192,
    tls: { caFile: '/t/ca.pem', keystoreFile: '/t/broker.p12', keystorePassword: 'pw' },
  };

  it('adds the listener beside plaintext, SCRAM, the keystore and the authorizer with the plaintext principal a super user', () => {
    const props = parse(kafkaServerProperties({ nodeId: 1, nodes: 1, basePort: 9092, dataDir: '/d', sasl }));
    expect(props.get('listeners')).toBe(
      'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SASL_SSL://127.0.0.1:9192',
    );
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9192');
    expect(props.get('listener.security.protocol.map')).toContain('SASL_SSL:SASL_SSL');
    expect(props.get('inter.broker.listener.name')).toBe('PLAINTEXT');
    expect(props.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-256,SCRAM-SHA-512');
    expect(props.get('listener.name.sasl_ssl.ssl.keystore.location')).toBe('/t/broker.p12');
    expect(props.get('authorizer.class.name')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
    expect(props.get('super.users')).toBe('User:ANONYMOUS;User:admin');
    expect(props.get('allow.everyone.if.no.acl.found')).toBe('false');
  });

  it('gives node 3 of 3 the third SASL_SSL port', () => {
    const props = parse(kafkaServerProperties({ nodeId: 3, nodes: 3, basePort: 9092, dataDir: '/d', sasl }));
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9096,SASL_SSL://127.0.0.1:9194');
  });

  it('without it, has no authorizer (the default stack is unchanged)', () => {
    const props = parse(kafkaServerProperties({ nodeId: 1, nodes: 1, basePort: 9092, dataDir: '/d' }));
    expect(props.has('authorizer.class.name')).toBe(false);
    expect(props.has('sasl.enabled.mechanisms')).toBe(false);
  });
});

describe('newKafkaClusterId', () => {
  it('is 16 bytes in unpadded base64url that never starts with a dash', () => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const id = newKafkaClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });
});
