import { describe, expect, it } from 'vitest';
import { elasticsearchYml } from './elasticsearch-server.ts';

describe('elasticsearchYml', () => {
  const yml = elasticsearchYml({
    port: 9200,
    transportPort: 9300,
    dataDir: '/run/data',
    logsDir: '/run/logs',
  });
  const settings = new Map(
    yml
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(': ') as [string, string]),
  );

  it('runs one node on loopback with security and the disk threshold off', () => {
    expect(settings.get('discovery.type')).toBe('"single-node"');
    expect(settings.get('network.host')).toBe('"127.0.0.1"');
    expect(settings.get('http.port')).toBe('9200');
    expect(settings.get('transport.port')).toBe('9300');
    expect(settings.get('xpack.security.enabled')).toBe('false');
    expect(settings.get('cluster.routing.allocation.disk.threshold_enabled')).toBe('false');
    expect(settings.get('path.data')).toBe('"/run/data"');
  });

  it('sets nothing the integ-test-zip lacks (an unknown setting aborts startup)', () => {
    expect(
      [...settings.keys()].filter((key) => /^(xpack\.(ml|watcher|monitoring)|ingest\.geoip)/.test(key)),
    ).toEqual([]);
  });
});
