import { describe, expect, it } from 'vitest';
import { pipelineTopics } from '../topics/pipeline-topics.ts';
import { pipelineStages, rebuildLane } from '../topics/rebuild-lane.ts';
import {
  type AclBinding,
  kafkaServices,
  serviceAccess,
  serviceAcls,
  transactionalIdPrefix,
} from './service-acls.ts';

const all = serviceAcls({ connection: { topicPrefix: '' }, clientId: 'triage' });
const granted = (principal: string, operation: AclBinding['operation'], topic: string) =>
  all.some(
    (acl) =>
      acl.principal === principal &&
      acl.operation === operation &&
      acl.resourceType === 'TOPIC' &&
      acl.resourceName === topic,
  );

describe('serviceAcls', () => {
  it('given the stage table, then every stage may read its inputs and write its outputs as its service', () => {
    for (const service of kafkaServices) {
      for (const stage of serviceAccess[service].stages) {
        for (const id of pipelineStages[stage].reads) {
          expect(granted(`User:${service}`, 'READ', pipelineTopics[id].name)).toBe(true);
        }
        for (const id of pipelineStages[stage].writes) {
          expect(granted(`User:${service}`, 'WRITE', pipelineTopics[id].name)).toBe(true);
        }
      }
    }
  });

  it("given a stage's derived output, then only the service running that stage may write it", () => {
    for (const stage of Object.values(pipelineStages)) {
      for (const id of stage.writes) {
        const writers = all
          .filter((acl) => acl.operation === 'WRITE' && acl.resourceName === pipelineTopics[id].name)
          .map((acl) => acl.principal);
        expect(writers).toHaveLength(1);
      }
    }
    expect(granted('User:splitter', 'WRITE', 'items.hashed.v1')).toBe(false);
    expect(granted('User:indexer', 'WRITE', 'cases.v1')).toBe(false);
    expect(granted('User:triage-api', 'READ', 'intake.bundles.v1')).toBe(false);
  });

  it('gives hash-check (ADR 0018) the hash sets to read and the audit to write, and no other topic', () => {
    const topics = all
      .filter((acl) => acl.principal === 'User:hash-check' && acl.resourceType === 'TOPIC')
      .map((acl) => `${acl.operation} ${acl.resourceName}`);
    expect(topics).toEqual(['READ hashsets.v1', 'WRITE audit.v1']);
  });

  it("gives consuming stages their input's dead-letter topic and their group, prefixed", () => {
    expect(granted('User:enricher', 'WRITE', 'items.hashed.v1.dlq')).toBe(true);
    expect(all).toContainEqual({
      principal: 'User:indexer',
      resourceType: 'GROUP',
      patternType: 'PREFIXED',
      resourceName: 'indexer',
      operation: 'READ',
    });
  });

  it("gives intake WRITE on its transactional ids' prefix, the one its producer registers under, and no other service any", () => {
    const acls = serviceAcls({ connection: { topicPrefix: 'tenant.' }, clientId: 'triage' });
    const transactional = acls.filter((acl) => acl.resourceType === 'TRANSACTIONAL_ID');
    expect(transactional).toEqual([
      {
        principal: 'User:intake',
        resourceType: 'TRANSACTIONAL_ID',
        patternType: 'PREFIXED',
        resourceName: transactionalIdPrefix({ topicPrefix: 'tenant.', clientId: 'triage' }, 'bundles'),
        operation: 'WRITE',
      },
    ]);
    expect(transactional[0]!.resourceName).toBe('tenant.triage-bundles-');
  });

  it('given a topic prefix, custom group ids and a rebuild lane, then the names are the deployed ones', () => {
    const acls = serviceAcls({
      connection: { topicPrefix: 'tenant.', lane: rebuildLane('r2', 'scorer') },
      clientId: 'triage',
      groupIds: { scorer: 'scoring' },
      services: ['scorer'],
      principal: (service) => `User:prod-${service}`,
    });
    const names = acls.map((acl) => `${acl.operation} ${acl.resourceName}`);
    expect(names).toContain('WRITE tenant.rebuild.r2.cases.v1');
    expect(names).toContain('READ tenant.reports.v1');
    expect(names).toContain('READ scoring');
    expect(acls.every((acl) => acl.principal === 'User:prod-scorer')).toBe(true);
  });
});
