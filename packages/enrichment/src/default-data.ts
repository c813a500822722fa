import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DatabaseInfo } from './databases.ts';

const require = createRequire(import.meta.url);

function versionOf(manifestPath: string): string {
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
}

/** A database shipped as an npm package: its files and its name and version (the package's). */
export interface DefaultDatabase {
  readonly info: DatabaseInfo;
  readonly paths: readonly string[];
}

/**
 * The offline default data (a frozen snapshot; see the README for licences). The package
 * version is the data version: ip-location-db encodes the build date in it (2.3.YYYYMMDDHH).
 */
export function defaultCountryDatabase(): DefaultDatabase {
  return {
    info: {
      name: 'ip-location-db/geo-whois-asn-country',
      version: versionOf(require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json')),
    },
    paths: [require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb')],
  };
}

export function defaultAsnDatabase(): DefaultDatabase {
  return {
    info: {
      name: 'ip-location-db/asn',
      version: versionOf(require.resolve('@ip-location-db/asn/package.json')),
    },
    paths: [
      require.resolve('@ip-location-db/asn/asn-ipv4.csv'),
      require.resolve('@ip-location-db/asn/asn-ipv6.csv'),
    ],
  };
}

/** The public suffix list inside tldts: registrable domains are answers from data too. */
export function publicSuffixListInfo(): DatabaseInfo {
  return { name: 'public-suffix-list', version: `tldts@${versionOf(require.resolve('tldts/package.json'))}` };
}
