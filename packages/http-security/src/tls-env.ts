import { z } from 'zod';

/** The two variables of a service's HTTPS: `<PREFIX>_TLS_CERT_FILE` and `<PREFIX>_TLS_KEY_FILE`. */
export type TlsVariables<P extends string> = `${P}_TLS_CERT_FILE` | `${P}_TLS_KEY_FILE`;

const certVariable = <P extends string>(prefix: P) => `${prefix}_TLS_CERT_FILE` as const;
const keyVariable = <P extends string>(prefix: P) => `${prefix}_TLS_KEY_FILE` as const;

/**
 * A service's TLS variables (`tlsEnv('INTAKE')`): both set, it serves HTTPS only on its port;
 * neither, plain HTTP (local development, `triage up`, or TLS ended at a proxy in front of it).
 */
export function tlsEnv<P extends string>(prefix: P, service: string) {
  return {
    [certVariable(prefix)]: z
      .string()
      .min(1)
      .optional()
      .describe(
        `PEM certificate (chain) the ${service} serves HTTPS with, TLS 1.2 or later, on its port only (no plain HTTP beside it); with ${keyVariable(prefix)}. Unset: plain HTTP`,
      ),
    [keyVariable(prefix)]: z
      .string()
      .min(1)
      .optional()
      .describe(
        `PEM private key (unencrypted; readable by the service only) of ${certVariable(prefix)}; a missing, unreadable or mismatched key stops the start`,
      ),
  } as { [K in TlsVariables<P>]: z.ZodOptional<z.ZodString> };
}

/** `loadConfig`'s cross-field check: the certificate and key come together or not at all. */
export function checkTlsPair<P extends string>(
  prefix: P,
  config: { [K in TlsVariables<P>]?: string | undefined },
): string[] {
  const cert = config[certVariable(prefix)];
  const key = config[keyVariable(prefix)];
  if (cert !== undefined && key === undefined)
    return [`${keyVariable(prefix)}: required with ${certVariable(prefix)}`];
  if (key !== undefined && cert === undefined)
    return [`${certVariable(prefix)}: required with ${keyVariable(prefix)}`];
  return [];
}

/** The files named by a service's TLS variables; null when it serves plain HTTP. */
export function tlsFilesOf<P extends string>(
  prefix: P,
  config: { [K in TlsVariables<P>]?: string | undefined },
): TlsFiles | null {
  const certFile = config[certVariable(prefix)];
  const keyFile = config[keyVariable(prefix)];
  if (certFile === undefined || keyFile === undefined) return null;
  return { certFile, keyFile, certVariable: certVariable(prefix), keyVariable: keyVariable(prefix) };
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** The variables that named them, for error messages. */
  certVariable: string;
  keyVariable: string;
}
