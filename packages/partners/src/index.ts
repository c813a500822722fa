export { createPartnerKey, hashPartnerKey } from './partner-keys.ts';
export {
  type PartnersFile,
  parsePartnersFile,
  readPartnersFile,
  withKey,
  withoutKey,
  writePartnersFile,
} from './partners-file.ts';
