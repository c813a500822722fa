import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, alterUserScramCredentialsV0, Connection, ScramMechanisms } from '@platformatic/kafka';
import { TriageError } from '@triage/errors';
import { runCommandOrFail } from './run-command.ts';

/**
 * The optional SASL_SSL listener of the local Kafka: TLS with a certificate the JDK's keytool
 * makes (a CA of the cluster's own signs the broker's), SCRAM logins, and Kafka's
 * StandardAuthorizer. The PLAINTEXT and controller listeners' principal (User:ANONYMOUS) is a
 * super user, so everything that uses them works as before; a SASL_SSL login gets what its ACLs
 * allow and nothing else, except the stack's own `admin`.
 */

/** The user the stack creates for itself: a super user, to create users' ACLs with. */
export const kafkaAdminUser = 'admin';

/** SCRAM iterations; Kafka's minimum is 4096. */
const scramIterations = 8192;

export interface KafkaTlsFiles {
  /** The cluster CA's certificate (PEM), for clients' KAFKA_SSL_CA_FILE. */
  caFile: string;
  /** The brokers' key and certificate chain (PKCS12). */
  keystoreFile: string;
  keystorePassword: string;
}

export interface SaslListener {
  /** First node's SASL_SSL port; node n listens on `port + n - 1`. */
  port: number;
  tls: KafkaTlsFiles;
}

/** The node's SASL_SSL port. */
export function saslNodePort(saslPort: number, nodeId: number): number {
  return saslPort + nodeId - 1;
}

/** The server.properties entries that add the SASL_SSL listener and the authorizer to a node. */
export function saslSslSettings(listener: SaslListener): Array<[string, string]> {
  const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return [
    ['sasl.enabled.mechanisms', 'SCRAM-SHA-256,SCRAM-SHA-512'],
    ['listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config', jaas],
    ['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config', jaas],
    ['listener.name.sasl_ssl.ssl.keystore.type', 'PKCS12'],
    ['listener.name.sasl_ssl.ssl.keystore.location', listener.tls.keystoreFile],
    ['listener.name.sasl_ssl.ssl.keystore.password', listener.tls.keystorePassword],
    ['listener.name.sasl_ssl.ssl.key.password', listener.tls.keystorePassword],
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    // The plaintext and controller listeners (127.0.0.1 only) stay fully open, as without the
    // listener; only SASL_SSL logins are held to their ACLs.
    ['super.users', `User:ANONYMOUS;User:${kafkaAdminUser}`],
    ['allow.everyone.if.no.acl.found', 'false'],
  ];
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}

function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Makes the cluster's CA and the brokers' certificate with keytool, once (kept in `dir`):
 * CA key pair, broker key pair with 127.0.0.1 and localhost as names, the broker's request
 * signed by the CA, and the chain imported back into the broker's keystore.
 */
export async function ensureKafkaTls(input: { dir: string; keytool: string }): Promise<KafkaTlsFiles> {
  const { dir, keytool } = input;
  const files = {
    caFile: join(dir, 'ca.pem'),
    keystoreFile: join(dir, 'broker.p12'),
    passwordFile: join(dir, 'keystore.password'),
  };
  if (existsSync(files.caFile) && existsSync(files.keystoreFile) && existsSync(files.passwordFile)) {
    return { ...files, keystorePassword: readFileSync(files.passwordFile, 'utf8').trim() };
  }
  // A run that stopped half-way left stores under a password of its own: start over.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caStore = join(dir, 'ca.p12');
  const password = secret();
  writePrivate(files.passwordFile, `${password}\n`);
  // The password from its file, not the command line, where `ps` would show it.
  const store = (file: string) => [
    '-keystore',
    file,
    '-storetype',
    'PKCS12',
    '-storepass:file',
    files.passwordFile,
  ];
  const names = 'SAN=ip:127.0.0.1,dns:localhost';
  const steps: Array<[string, string[]]> = [
    [
      'CA key pair',
      [
        '-genkeypair',
        '-alias',
        'ca',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-validity',
        '3650',
        '-dname',
        'CN=triage local Kafka CA',
        '-ext',
        'bc:c',
        ...store(caStore),
      ],
    ],
    ['CA certificate', ['-exportcert', '-rfc', '-alias', 'ca', '-file', files.caFile, ...store(caStore)]],
    [
      'broker key pair',
      [
        '-genkeypair',
        '-alias',
        'broker',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-validity',
        '825',
        '-dname',
        'CN=127.0.0.1',
        '-ext',
        names,
        ...store(files.keystoreFile),
      ],
    ],
    [
      'broker request',
      ['-certreq', '-alias', 'broker', '-file', join(dir, 'broker.csr'), ...store(files.keystoreFile)],
    ],
    [
      'broker certificate',
      [
        '-gencert',
        '-alias',
        'ca',
        '-rfc',
        '-validity',
        '825',
        '-infile',
        join(dir, 'broker.csr'),
        '-outfile',
        join(dir, 'broker.pem'),
        '-ext',
        names,
        '-ext',
        'eku=serverAuth',
        ...store(caStore),
      ],
    ],
    [
      'CA into keystore',
      ['-importcert', '-noprompt', '-alias', 'ca', '-file', files.caFile, ...store(files.keystoreFile)],
    ],
    [
      'chain into keystore',
      ['-importcert', '-alias', 'broker', '-file', join(dir, 'broker.pem'), ...store(files.keystoreFile)],
    ],
  ];
  for (const [what, args] of steps) await runCommandOrFail(`keytool: ${what}`, keytool, args);
  return { caFile: files.caFile, keystoreFile: files.keystoreFile, keystorePassword: password };
}

/**
 * Each user's password file in `dir` (`<user>.password`, 0600), a fresh random password the
 * first time: the file a client's KAFKA_SASL_PASSWORD_FILE can name.
 */
export function ensureScramPasswordFiles(dir: string, users: readonly string[]): Record<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Record<string, string> = {};
  for (const user of users) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(user)) {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `SCRAM user "${user}": letters, digits, dot, dash, underscore`,
      );
    }
    const file = join(dir, `${user}.password`);
    if (!existsSync(file)) writePrivate(file, `${secret()}\n`);
    files[user] = file;
  }
  return files;
}

const scramMechanisms = [
  [ScramMechanisms.SCRAM_SHA_256, 'sha256', 32],
  [ScramMechanisms.SCRAM_SHA_512, 'sha512', 64],
] as const;

/** SCRAM's stored form of a password: PBKDF2 with the mechanism's hash over a random salt. */
function scramUpsertion(
  user: string,
  password: string,
  [mechanism, digest, length]: (typeof scramMechanisms)[number],
) {
  const salt = randomBytes(32);
  return {
    name: user,
    mechanism,
    iterations: scramIterations,
    salt,
    saltedPassword: pbkdf2Sync(password, salt, scramIterations, length, digest),
  };
}

/**
 * Sets the users' SCRAM-SHA-256 and -512 credentials (AlterUserScramCredentials, which the
 * admin client does not wrap) through the plaintext listener, whose principal is a super user.
 * Idempotent: running it again sets the same passwords with new salts.
 */
export async function upsertScramUsers(
  broker: { host: string; port: number },
  passwordFiles: Record<string, string>,
): Promise<void> {
  const connection = new Connection('triage-local-stack-scram');
  try {
    await connection.connect(broker.host, broker.port);
    const passwords = Object.entries(passwordFiles).map(([user, file]) => [
      user,
      readFileSync(file, 'utf8').trim(),
    ]);
    // One request per mechanism: the broker refuses a user twice in one request.
    for (const mechanism of scramMechanisms) {
      const upsertions = passwords.map(([user, password]) => scramUpsertion(user!, password!, mechanism));
      await alterUserScramCredentialsV0.api.async(connection, [], upsertions);
    }
  } catch (error) {
    throw new TriageError('TRIAGE_STACK_START_FAILED', `setting SCRAM users: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await connection.close().catch(() => {});
  }
}

/**
 * Whether `admin` can log in over SASL_SSL and list the brokers; undefined once it can (new
 * credentials reach the broker through the metadata log a moment after they are written).
 */
export async function saslNotReadyReason(input: {
  brokers: string[];
  caFile: string;
  passwordFile: string;
}): Promise<string | undefined> {
  const admin = new Admin({
    clientId: 'triage-local-stack-sasl-probe',
    bootstrapBrokers: input.brokers,
    tls: { ca: readFileSync(input.caFile, 'utf8') },
    sasl: {
      mechanism: 'SCRAM-SHA-512',
      username: kafkaAdminUser,
      password: readFileSync(input.passwordFile, 'utf8').trim(),
    },
    retries: 0,
    timeout: 3000,
    connectTimeout: 3000,
  });
  try {
    await admin.metadata({ topics: [] });
    return undefined;
  } catch (error) {
    return `SASL_SSL login as ${kafkaAdminUser}: ${(error as Error).message}`;
  } finally {
    await admin.close().catch(() => {});
  }
}
