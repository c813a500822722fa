import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Acl,
  AclOperations,
  AclPermissionTypes,
  type Admin,
  ResourcePatternTypes,
  ResourceTypes,
} from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
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

function aclKey(acl: Acl): string {
  return [
    acl.resourceType,
    acl.resourcePatternType,
    acl.resourceName,
    acl.principal,
    acl.host,
    acl.operation,
    acl.permissionType,
  ].join('\u0000');
}

/** Every ACL the broker answering lists (its authorizer's view, which follows the controller's). */
async function listedAcls(admin: Admin): Promise<Set<string>> {
  const resources = await admin.describeAcls({
    filter: {
      resourceType: ResourceTypes.ANY,
      resourceName: null,
      resourcePatternType: ResourcePatternTypes.ANY,
      principal: null,
      host: null,
      operation: AclOperations.ANY,
      permissionType: AclPermissionTypes.ANY,
    },
  });
  return new Set(
    resources.flatMap((resource) => resource.acls.map((acl) => aclKey({ ...resource, ...acl }))),
  );
}

/**
 * Creates the bindings (CreateAcls; an ACL that exists already is left as it is) and resolves once
 * the broker answering lists them all: the controller commits them first and each broker's
 * authorizer applies them a moment later, so a client started at once could still be refused.
 * Needs a principal allowed to ALTER the cluster: a super user.
 */
export async function applyAcls(
  admin: Admin,
  bindings: readonly AclBinding[],
  options: { timeoutMs?: number } = {},
): Promise<void> {
  if (bindings.length === 0) return;
  const acls = bindings.map(toKafkaAcl);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    await admin.createAcls({ creations: acls });
    for (;;) {
      const listed = await listedAcls(admin);
      const missing = acls.filter((acl) => !listed.has(aclKey(acl)));
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new TriageError(
          'TRIAGE_KAFKA_UNAVAILABLE',
          `create ACLs: ${missing.length} of ${acls.length} not listed by the broker after ${options.timeoutMs ?? 30_000} ms`,
        );
      }
      await sleep(100);
    }
  } catch (error) {
    throw kafkaError(error, 'create ACLs', false);
  }
}
