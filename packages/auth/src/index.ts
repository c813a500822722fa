export {
  type AuthenticationOptions,
  authentication,
  publicAccess,
  type RouteAccess,
  type RouteAccessEntry,
  requireRoles,
} from './auth-plugin.ts';
export {
  defaultLocalIssuerDir,
  ensureLocalIssuerKeys,
  type LocalIssuerFiles,
  localAlgorithm,
  localIssuer,
  localIssuerFiles,
  readLocalJwks,
  type SignLocalTokenOptions,
  signLocalToken,
  triageApiAudience,
} from './local-issuer.ts';
export { authorise, bearerToken, type Principal, principalFromClaims } from './principal.ts';
export { isUserRole, type UserRole, userRoles } from './roles.ts';
export { maxTokenTtlSeconds, parseTtl, type TokenRequest, tokenRequest } from './token-request.ts';
export {
  createTokenVerifier,
  type KeySource,
  localKeySource,
  type RemoteKeySourceOptions,
  remoteKeySource,
  type TokenVerifierOptions,
  verificationError,
} from './token-verifier.ts';
