import type { TriageAction } from '@triage/schemas';
import { documentId } from './document-id.ts';

/** An actions document: one analyst action, the case's history. Actions never change (`create`). */
export function actionDocument(action: TriageAction): { id: string; document: TriageAction } {
  return { id: documentId(action.actionId), document: action };
}
