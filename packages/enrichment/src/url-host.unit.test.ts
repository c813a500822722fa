import { describe, expect, it } from 'vitest';
import { parseUrlHost } from './url-host.ts';

describe('parseUrlHost', () => {
  it.each([
    ['https://www.Example.co.uk/path?q=1', 'www.example.co.uk', 'example.co.uk'],
    ['http://user:secret@files.example.com:8080/a', 'files.example.com', 'example.com'],
    ['example.com/gallery/1', 'example.com', 'example.com'],
    ['//cdn.example.org/x.jpg', 'cdn.example.org', 'example.org'],
    ['example.net:8080/a', 'example.net', 'example.net'],
    ['https://someone.github.io/page', 'someone.github.io', 'someone.github.io'],
    ['https://hosting.example.invalid/page', 'hosting.example.invalid', 'example.invalid'],
    ['http://example.com./trailing-dot', 'example.com', 'example.com'],
    ['ftp://ftp.example.com/pub', 'ftp.example.com', 'example.com'],
    ['user@mail.example.com:8080/inbox', 'mail.example.com', 'example.com'],
    ['http://bücher.example/', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('given %j, when parsed, then host %j and registrable domain %j', (url, host, registrableDomain) => {
    expect(parseUrlHost(url)).toEqual({ host, registrableDomain, ip: null });
  });

  it('given a host that is a public suffix itself or a single label, when parsed, then no registrable domain', () => {
    expect(parseUrlHost('http://co.uk/')).toEqual({ host: 'co.uk', registrableDomain: null, ip: null });
    expect(parseUrlHost('http://localhost:3000/')).toEqual({
      host: 'localhost',
      registrableDomain: null,
      ip: null,
    });
  });

  it('given IP-literal hosts, when parsed, then the canonical address and no domain', () => {
    expect(parseUrlHost('http://192.0.2.5/x')).toMatchObject({
      host: '192.0.2.5',
      registrableDomain: null,
      ip: { family: 4 },
    });
    expect(parseUrlHost('http://[2001:DB8::1]:8080/x')).toMatchObject({
      host: '2001:db8::1',
      ip: { text: '2001:db8::1' },
    });
    // What a browser would connect to: the WHATWG URL parser normalises legacy IPv4 spellings.
    expect(parseUrlHost('http://0xC0.0.2.5/')?.host).toBe('192.0.2.5');
  });

  it('given a scheme, when the host is a single label or IPv4 shorthand, then it is read as a browser would', () => {
    expect(parseUrlHost('http://intranet/x')?.host).toBe('intranet');
    expect(parseUrlHost('http://1.2.3/')?.host).toBe('1.2.0.3');
  });

  it.each([
    'unknown',
    'not-valid',
    '1.2.3',
    '999.1.1.1',
    '1.2.3.4.5/x',
    '',
    '   ',
    'mailto:someone@example.com',
    'magnet:?xt=urn:btih:abc',
    'http://',
    'http://exa mple.com/',
    'http://[::1/',
  ])('given %j, when parsed, then no host', (url) => {
    expect(parseUrlHost(url)).toBeNull();
  });
});
