export { createHosterKey, hashHosterKey } from './hoster-keys.ts';
export {
  type HosterEntry,
  type HosterPolicyInput,
  type HostersFile,
  parseHostersFile,
  readHostersFile,
  withHosterKey,
  withoutHosterKey,
  writeHostersFile,
} from './hosters-file.ts';
