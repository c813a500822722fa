export { createPartnerKey, hashPartnerKey } from './partner-keys.ts';
export {
  type PartnerQuota,
  type PartnerScope,
  type PartnersFile,
  parsePartnersFile,
  partnerScopes,
  readPartnersFile,
  scopesOf,
  withKey,
  withoutKey,
  writePartnersFile,
} from './partners-file.ts';
