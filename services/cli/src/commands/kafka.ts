import { Admin } from '@platformatic/kafka';
import { commonEnv, loadConfig } from '@triage/config';
import { TriageError } from '@triage/errors';
import {
  applyAcls,
  baseClientOptions,
  connectionFromConfig,
  describeAcl,
  type KafkaService,
  kafkaServices,
  serviceAcls,
} from '@triage/messaging';
import type { Command } from 'commander';
import { stageGroupBases } from './stage-groups.ts';

interface AclFlags {
  apply?: boolean;
  json?: boolean;
  service?: string[];
}

/** `triage kafka acls [--apply] [--service <name...>] [--json]`: each service's least-privilege ACLs. */
export function registerKafkaCommands(program: Command): void {
  const kafka = program.command('kafka').description('Kafka security: the ACLs of each service principal');
  kafka
    .command('acls')
    .description(
      "Print (default) or create each service's ACLs: User:<service> may read its stages' inputs and write their outputs, nothing else",
    )
    .option('--apply', 'create them on the cluster (needs a super user: KAFKA_SASL_USERNAME of super.users)')
    .option('--json', 'print them as JSON')
    .option('--service <name...>', `only these services (${kafkaServices.join(', ')})`)
    .action(async (flags: AclFlags) => {
      const config = loadConfig(commonEnv, process.env);
      const connection = connectionFromConfig(config, 'acls');
      const bindings = serviceAcls({
        connection,
        clientId: config.KAFKA_CLIENT_ID,
        groupIds: stageGroupBases(process.env),
        services: chosenServices(flags.service),
      });
      if (flags.json) console.log(JSON.stringify(bindings, null, 2));
      else if (!flags.apply) for (const binding of bindings) console.log(describeAcl(binding));
      if (!flags.apply) return;
      const admin = new Admin(baseClientOptions(connection, 'acls'));
      try {
        await applyAcls(admin, bindings);
      } finally {
        await admin.close();
      }
      console.log(`created ${bindings.length} ACLs (existing ones are left as they are)`);
    });
}

function chosenServices(names: string[] | undefined): KafkaService[] {
  if (names === undefined) return kafkaServices;
  const unknown = names.filter((name) => !(kafkaServices as string[]).includes(name));
  if (unknown.length > 0) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `--service: unknown ${unknown.join(', ')} (one of ${kafkaServices.join(', ')})`,
    );
  }
  return names as KafkaService[];
}
