export { createPartnerKey, hashPartnerKey } from './partner-keys.ts';
export {
  type PartnerQuota,
  type PartnersFile,
  parsePartnersFile,
  readPartnersFile,
  withKey,
  withoutKey,
  writePartnersFile,
} from './partners-file.ts';
