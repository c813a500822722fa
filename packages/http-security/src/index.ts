export {
  apiContentSecurityPolicy,
  browserSecurityHeaders,
  permissionsPolicy,
  type SecurityHeadersOptions,
  securityHeaders,
  strictTransportSecurity,
} from './security-headers.ts';
export { httpsOption, minTlsVersion, readServerTls, type ServerTls } from './server-tls.ts';
export { checkTlsPair, type TlsFiles, type TlsVariables, tlsEnv, tlsFilesOf } from './tls-env.ts';
