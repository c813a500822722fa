import {
  type Acl,
  AclOperations,
  AclPermissionTypes,
  type Admin,
  ResourcePatternTypes,
  ResourceTypes,
} from '@platformatic/kafka';
import { kafkaError } from '../kafka/connection.ts';
import type { AclBinding } from './service-acls.ts';

/** The client's form of an ALLOW binding, from any host. */
export function toKafkaAcl(binding: AclBinding): Acl {
  return {
    resourceType: ResourceTypes[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType: ResourcePatternTypes[binding.patternType],
    principal: binding.principal,
    host: '*',
    operation: AclOperations[binding.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * Creates the bindings (CreateAcls; an ACL that exists already is left as it is). Needs a
 * principal allowed to ALTER the cluster: a super user.
 */
export async function applyAcls(admin: Admin, bindings: readonly AclBinding[]): Promise<void> {
  if (bindings.length === 0) return;
  try {
    await admin.createAcls({ creations: bindings.map(toKafkaAcl) });
  } catch (error) {
    throw kafkaError(error, 'create ACLs', false);
  }
}
