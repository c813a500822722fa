import { TriageError } from '@triage/errors';

/** The top-level keys that carry the OData context: v1.x and v2.0 spellings. */
export const contextKeys: ReadonlySet<string> = new Set(['odata.metadata', '@odata.context']);

export interface VicsContext {
  vicsVersion: string;
  region: string | null;
  kind: 'hashset' | 'case-export';
  context: string;
}

/**
 * Reads a VICS OData context URL:
 * `.../ProjectVic/DataModels/1.3.xml#Media` (v1.x) or
 * `.../DataModels/2.0.xml/US/$metadata#Cases` (v2.0). Anything else is not a VICS document.
 */
export function parseVicsContext(context: string): VicsContext {
  const version = /\/(\d+)\.(\d+)\.xml(?=[/#])/i.exec(context);
  const fragment = /#([A-Za-z]+)\s*$/.exec(context)?.[1]?.toLowerCase();
  if (!version || (version[1] !== '1' && version[1] !== '2')) {
    throw new TriageError(
      'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
      `The OData context ${JSON.stringify(context.slice(0, 200))} names no VICS data model 1.x or 2.x`,
      { details: { context: context.slice(0, 200) } },
    );
  }
  if (fragment !== 'media' && fragment !== 'cases') {
    throw new TriageError(
      'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
      `The VICS context names ${fragment ? `#${fragment}` : 'no entity set'}; expected #Media (a hash set) or #Cases (a case export)`,
      { details: { context: context.slice(0, 200) } },
    );
  }
  const region = /\.xml\/([A-Za-z]+)\//.exec(context)?.[1] ?? null;
  return {
    vicsVersion: `${version[1]}.${version[2]}`,
    region,
    kind: fragment === 'media' ? 'hashset' : 'case-export',
    context,
  };
}
