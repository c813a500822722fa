import type { ServerRun, StackStatus, StackUpResult } from '@triage/local-stack';
import { describe, expect, it } from 'vitest';
import { downLines, parseNodeId, parsePort, statusLines, tableLines, upLines } from './stack.ts';

const run = (name: string, reused: boolean): ServerRun => ({
  name,
  pid: 10,
  port: 9092,
  reused,
  logFile: 'x.log',
});
const elasticsearch = (reused: boolean) => ({
  url: 'http://127.0.0.1:9200',
  version: '8.19.21',
  servers: [run('elasticsearch', reused)],
  readyMs: 1,
});

describe('upLines', () => {
  it('Given Kafka already running and Elasticsearch started, when reported, then only Kafka is marked as already running', () => {
    const result: StackUpResult = {
      kafka: {
        nodes: 3,
        bootstrapServers: '127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096',
        brokers: [],
        clusterId: 'c',
        version: '4.1.2',
        servers: [run('kafka-1', true), run('kafka-2', true), run('kafka-3', true)],
        readyMs: 1,
      },
      elasticsearch: elasticsearch(false),
      totalMs: 12_340,
      lockWaitMs: 0,
    };

    expect(upLines(result)).toEqual([
      'Kafka 4.1.2, 3 node(s): 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096 (already running)',
      'Elasticsearch 8.19.21: http://127.0.0.1:9200',
      'ready in 12.34 s',
    ]);
  });

  it('Given a SASL_SSL listener, when reported, then the client variables for it and each user follow the Kafka line', () => {
    const result: StackUpResult = {
      kafka: {
        nodes: 1,
        bootstrapServers: '127.0.0.1:9092',
        brokers: [],
        clusterId: 'c',
        version: '4.1.2',
        servers: [run('kafka-1', false)],
        readyMs: 1,
        saslSsl: {
          bootstrapServers: '127.0.0.1:9192',
          brokers: ['127.0.0.1:9192'],
          caFile: '/s/tls/ca.pem',
          passwordFiles: { admin: '/s/sasl/admin.password', splitter: '/s/sasl/splitter.password' },
        },
      },
      elasticsearch: undefined,
      totalMs: 1_000,
      lockWaitMs: 0,
    };

    expect(upLines(result)).toEqual([
      'Kafka 4.1.2, 1 node(s): 127.0.0.1:9092',
      'Kafka SASL_SSL: KAFKA_SECURITY_PROTOCOL=SASL_SSL KAFKA_BROKERS=127.0.0.1:9192 KAFKA_SSL_CA_FILE=/s/tls/ca.pem',
      '  KAFKA_SASL_USERNAME=admin KAFKA_SASL_PASSWORD_FILE=/s/sasl/admin.password',
      '  KAFKA_SASL_USERNAME=splitter KAFKA_SASL_PASSWORD_FILE=/s/sasl/splitter.password',
      'ready in 1.00 s',
    ]);
  });

  it('Given only Elasticsearch asked for, when reported, then there is no Kafka line', () => {
    const result: StackUpResult = {
      kafka: undefined,
      elasticsearch: elasticsearch(true),
      totalMs: 500,
      lockWaitMs: 0,
    };

    expect(upLines(result)).toEqual([
      'Elasticsearch 8.19.21: http://127.0.0.1:9200 (already running)',
      'ready in 0.50 s',
    ]);
  });
});

describe('downLines', () => {
  it('Given nothing stopped, when reported, then it says nothing was running', () => {
    expect(downLines({ stopped: [] })).toEqual(['nothing was running']);
  });

  it('Given stopped servers, when reported, then each says how and how long', () => {
    expect(downLines({ stopped: [{ name: 'kafka-1', pid: 42, how: 'killed', ms: 10_250 }] })).toEqual([
      'kafka-1 (pid 42) killed in 10.3 s',
    ]);
  });
});

describe('statusLines', () => {
  it('Given a running and a stopped server, when tabulated, then columns align and the stopped one has dashes', () => {
    const status: StackStatus = {
      servers: [
        {
          name: 'kafka-1',
          kind: 'kafka',
          state: 'running',
          pid: 4242,
          port: 9092,
          version: '4.1.2',
          group: 'kafka-9092-1node',
          logFile: 'k.log',
          rssKb: 524_288,
        },
        {
          name: 'elasticsearch',
          kind: 'elasticsearch',
          state: 'stopped',
          pid: undefined,
          port: 9200,
          version: '8.19.21',
          group: 'elasticsearch-9200',
          logFile: 'e.log',
          rssKb: undefined,
        },
      ],
    };

    expect(statusLines(status)).toEqual([
      'server         group               state    pid   port  version  rss',
      'kafka-1        kafka-9092-1node    running  4242  9092  4.1.2    512 MB',
      'elasticsearch  elasticsearch-9200  stopped  -     9200  8.19.21  -',
    ]);
  });
});

describe('tableLines', () => {
  it('Given a short last cell, when tabulated, then no line ends in blanks', () => {
    expect(tableLines(['a', 'b'], [['long value', '']])).toEqual(['a           b', 'long value']);
  });
});

describe('parsePort and parseNodeId', () => {
  it.each(['0', '65536', '80.5', 'http'])(
    'Given port %s, when parsed, then it is refused naming the flag',
    (value) => {
      expect(() => parsePort(value, '--es-port')).toThrow(`--es-port must be a port number, got ${value}`);
    },
  );

  it('Given a port or none, when parsed, then it is the number or undefined', () => {
    expect(parsePort('9200', '--es-port')).toBe(9200);
    expect(parsePort(undefined, '--es-port')).toBeUndefined();
  });

  it.each(['0', '1.5', 'x'])('Given node id %s, when parsed, then it is refused', (value) => {
    expect(() => parseNodeId(value)).toThrow(expect.objectContaining({ code: 'TRIAGE_CONFIG_INVALID' }));
  });
});
