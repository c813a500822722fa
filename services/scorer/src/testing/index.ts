// The scorer's test harness: invented reports and items, in-memory state, and the stage without
// Kafka (the scorer benchmark times it between the pure scoring and the deployable on the broker).
export { createScorerStage } from '../scorer-stage.ts';
export { produceScorerInputs } from './produce-inputs.ts';
export { inbound, makeItem, makeReport, memoryState, suspect } from './scorer-fixtures.ts';

import { developmentSuspectIdKey } from '../suspect-id-keys.ts';

/** The key tests and benchmarks link identifiers under (the public development key: never for real data). */
export const testIdentifierKeys = { key: developmentSuspectIdKey } as const;
