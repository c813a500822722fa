export { createPartnerKey } from './partner-keys.ts';
export { readPartnersFile, withKey, withoutKey, writePartnersFile } from './partners-file.ts';
