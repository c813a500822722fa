/**
 * The closed catalogue of error codes. Every code is documented in docs/errors.md;
 * `errors.unit.test.ts` keeps the two in step both ways.
 *
 * `retryable` decides what a consumer does with a failed record: retry with backoff
 * (and pause the partition) when the cause is a dependency that may come back, or
 * dead-letter it and move on when retrying cannot help.
 */
export const errorCatalogue = {
  TRIAGE_CONFIG_INVALID: { status: 500, retryable: false, title: 'Configuration is invalid' },
  TRIAGE_INTERNAL: { status: 500, retryable: false, title: 'Internal error' },
  TRIAGE_KAFKA_UNAVAILABLE: { status: 503, retryable: true, title: 'Kafka is unavailable' },
  TRIAGE_KAFKA_NOT_AUTHORIZED: {
    status: 503,
    retryable: false,
    title: 'Kafka refused the login or an ACL refused the request',
  },
  TRIAGE_ELASTICSEARCH_UNAVAILABLE: { status: 503, retryable: true, title: 'Elasticsearch is unavailable' },
  TRIAGE_ELASTICSEARCH_REJECTED: { status: 502, retryable: false, title: 'Elasticsearch refused a document' },
  TRIAGE_DEPENDENCY_TIMEOUT: { status: 503, retryable: true, title: 'A dependency timed out' },
  TRIAGE_SCHEMA_UNKNOWN: { status: 422, retryable: false, title: 'Record written with an unknown schema' },
  TRIAGE_SCHEMA_DECODE_FAILED: { status: 422, retryable: false, title: 'Record could not be decoded' },
  TRIAGE_SCHEMA_INCOMPATIBLE: {
    status: 422,
    retryable: false,
    title: 'Schema change old readers cannot resolve',
  },
  TRIAGE_RECORD_INVALID: { status: 422, retryable: false, title: 'Record is invalid' },
  TRIAGE_TOPIC_UNKNOWN: { status: 500, retryable: false, title: 'Topic is not in the catalogue' },
  TRIAGE_STATE_RESTORE_FAILED: { status: 503, retryable: true, title: 'State store could not be restored' },
  TRIAGE_GROUP_ACTIVE: {
    status: 409,
    retryable: false,
    title: 'The consumer group has running members',
  },
  TRIAGE_REPLAY_INVALID: { status: 400, retryable: false, title: 'Replay or rebuild request is invalid' },
  TRIAGE_REBUILD_PARTIAL: {
    status: 409,
    retryable: false,
    title: 'A rebuild would miss records its inputs no longer hold',
  },
  TRIAGE_STACK_START_FAILED: { status: 500, retryable: false, title: 'A local stack server failed to start' },
  TRIAGE_HASH_INVALID: { status: 422, retryable: false, title: 'Hash value is malformed' },
  TRIAGE_HASHLIST_UNREADABLE: { status: 400, retryable: false, title: 'Hash-list file cannot be read' },
  TRIAGE_HASHLIST_FORMAT_UNKNOWN: {
    status: 422,
    retryable: false,
    title: 'File is not a recognisable hash list',
  },
  TRIAGE_HASHLIST_MALFORMED: { status: 422, retryable: false, title: 'Hash-list file is malformed' },
  TRIAGE_HASHLIST_CASE_EXPORT: {
    status: 422,
    retryable: false,
    title: 'VICS case export given where a hash set was expected',
  },
  TRIAGE_HASHLIST_OPTION_INVALID: {
    status: 400,
    retryable: false,
    title: 'Hash-list import option is invalid',
  },
  TRIAGE_MEDIA_MISSING: { status: 404, retryable: false, title: 'Stored media is missing' },
  TRIAGE_MEDIA_CORRUPT: { status: 500, retryable: false, title: 'Stored media does not match its sha256' },
  TRIAGE_MEDIA_UNREADABLE: { status: 500, retryable: false, title: 'Media bytes could not be read' },
  TRIAGE_MEDIA_UNDECODABLE: { status: 422, retryable: false, title: 'Image is truncated or malformed' },
  TRIAGE_MEDIA_UNSUPPORTED: { status: 415, retryable: false, title: 'Image format is not supported' },
  TRIAGE_MEDIA_TOO_LARGE: { status: 413, retryable: false, title: 'Image exceeds the size limit' },
  TRIAGE_MEDIA_DECRYPT_FAILED: {
    status: 500,
    retryable: false,
    title: 'Stored media failed its encryption check',
  },
  TRIAGE_AUTH_REQUIRED: { status: 401, retryable: false, title: 'A valid partner API key is required' },
  TRIAGE_AUTH_FORBIDDEN: { status: 403, retryable: false, title: 'The API key may not use this route' },
  TRIAGE_TOKEN_MISSING: { status: 401, retryable: false, title: 'A bearer token is required' },
  TRIAGE_TOKEN_INVALID: { status: 401, retryable: false, title: 'The bearer token is invalid or expired' },
  TRIAGE_ROLE_FORBIDDEN: { status: 403, retryable: false, title: 'Your role may not use this route' },
  TRIAGE_AUTH_KEYS_UNAVAILABLE: {
    status: 503,
    retryable: true,
    title: 'The token signing keys cannot be fetched',
  },
  TRIAGE_OIDC_STATE_INVALID: {
    status: 400,
    retryable: false,
    title: 'The sign-in state is unknown or expired',
  },
  TRIAGE_OIDC_LOGIN_REFUSED: {
    status: 401,
    retryable: false,
    title: 'The identity provider did not sign you in',
  },
  TRIAGE_OIDC_PROVIDER_UNAVAILABLE: {
    status: 502,
    retryable: true,
    title: 'The identity provider cannot be reached or answered wrongly',
  },
  TRIAGE_TOKEN_OPTION_INVALID: { status: 400, retryable: false, title: 'Token request is invalid' },
  TRIAGE_DLQ_OPTION_INVALID: {
    status: 400,
    retryable: false,
    title: 'Dead-letter command option is invalid',
  },
  TRIAGE_ERASE_OPTION_INVALID: {
    status: 400,
    retryable: false,
    title: 'Erase command option is invalid',
  },
  TRIAGE_DEAD_LETTER_NOT_FOUND: { status: 404, retryable: false, title: 'No such dead letter' },
  TRIAGE_RATE_LIMITED: { status: 429, retryable: true, title: 'Too many requests from this partner' },
  TRIAGE_PIPELINE_BEHIND: { status: 503, retryable: true, title: 'The pipeline is too far behind' },
  TRIAGE_PARTNER_BUSY: {
    status: 429,
    retryable: true,
    title: 'The partner has as many uploads in flight as it may have',
  },
  TRIAGE_PARTNER_QUOTA: {
    status: 429,
    retryable: true,
    title: "The partner's daily quota of bundles, reports or bytes is used up",
  },
  TRIAGE_STAGING_FULL: { status: 503, retryable: true, title: "Intake's staging volume is nearly full" },
  TRIAGE_AUDIT_UNAVAILABLE: { status: 503, retryable: true, title: 'The audit event could not be written' },
  TRIAGE_BUNDLE_CONTENT_TYPE: { status: 415, retryable: false, title: 'Unsupported content type' },
  TRIAGE_BUNDLE_TOO_LARGE: { status: 413, retryable: false, title: 'Bundle exceeds the size limit' },
  TRIAGE_BUNDLE_FILE_TOO_LARGE: { status: 413, retryable: false, title: 'A file exceeds the size limit' },
  TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: 'A manifest or report document exceeds the size limit',
  },
  TRIAGE_BUNDLE_DOCUMENTS_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: "The bundle's documents together exceed the size limit",
  },
  TRIAGE_BUNDLE_METADATA_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: "The bundle's report and file metadata exceed the limit",
  },
  TRIAGE_BUNDLE_TOO_MANY_ENTRIES: {
    status: 413,
    retryable: false,
    title: 'Too many entries, reports or files in the bundle',
  },
  TRIAGE_BUNDLE_ZIP_BOMB: {
    status: 413,
    retryable: false,
    title: 'ZIP compression ratio or uncompressed size over the limit',
  },
  TRIAGE_BUNDLE_ZIP_INVALID: { status: 400, retryable: false, title: 'ZIP package cannot be read' },
  TRIAGE_BUNDLE_ZIP_OVERLAP: {
    status: 400,
    retryable: false,
    title: 'ZIP entries share or overlap their bytes',
  },
  TRIAGE_BUNDLE_PATH_UNSAFE: { status: 400, retryable: false, title: 'Unsafe entry name in the package' },
  TRIAGE_BUNDLE_ENCODING: { status: 400, retryable: false, title: 'Document is not valid UTF-8' },
  TRIAGE_BUNDLE_XML_FORBIDDEN: {
    status: 400,
    retryable: false,
    title: 'XML uses a DOCTYPE or entity declaration',
  },
  TRIAGE_BUNDLE_XML_MALFORMED: { status: 400, retryable: false, title: 'XML is not well-formed' },
  TRIAGE_BUNDLE_XML_SCHEMA: { status: 422, retryable: false, title: 'XML breaks the CyberTipline schema' },
  TRIAGE_BUNDLE_ENUM_UNKNOWN: { status: 422, retryable: false, title: 'Value is not in the allowed list' },
  TRIAGE_BUNDLE_JSON_MALFORMED: { status: 400, retryable: false, title: 'JSON is not well-formed' },
  TRIAGE_BUNDLE_JSON_SCHEMA: { status: 422, retryable: false, title: 'JSON bundle breaks its schema' },
  TRIAGE_BUNDLE_MANIFEST_MISSING: {
    status: 422,
    retryable: false,
    title: 'Package has no manifest or more than one',
  },
  TRIAGE_BUNDLE_FILE_MISSING: {
    status: 422,
    retryable: false,
    title: 'A file named by the manifest is missing',
  },
  TRIAGE_BUNDLE_FILE_UNEXPECTED: {
    status: 422,
    retryable: false,
    title: 'A file in the package is not named by the manifest',
  },
  TRIAGE_BUNDLE_INCONSISTENT: { status: 422, retryable: false, title: 'Bundle contradicts itself' },
  TRIAGE_BUNDLE_REF_REUSED: {
    status: 409,
    retryable: false,
    title: 'Bundle reference already used for different content',
  },
  TRIAGE_BUNDLE_NOT_FOUND: { status: 404, retryable: false, title: 'No such bundle' },
  TRIAGE_REQUEST_INVALID: { status: 400, retryable: false, title: 'Request breaks the API schema' },
  TRIAGE_REQUEST_STALLED: { status: 408, retryable: true, title: 'The upload stopped sending' },
  TRIAGE_SHUTTING_DOWN: {
    status: 503,
    retryable: true,
    title: 'The service is shutting down; the upload was not finished in time',
  },
  TRIAGE_ROUTE_NOT_FOUND: { status: 404, retryable: false, title: 'No such route' },
  TRIAGE_METHOD_NOT_ALLOWED: { status: 405, retryable: false, title: 'The path does not serve this method' },
  TRIAGE_REQUEST_TOO_LARGE: { status: 413, retryable: false, title: 'The request body is over the limit' },
  TRIAGE_REQUEST_HEADERS_TOO_LARGE: {
    status: 431,
    retryable: false,
    title: 'The request line and headers are too large',
  },
  TRIAGE_NOT_READY: { status: 503, retryable: true, title: 'The service is not ready' },
  TRIAGE_CASE_NOT_FOUND: { status: 404, retryable: false, title: 'No such case' },
  TRIAGE_HOSTER_NOT_FOUND: { status: 404, retryable: false, title: 'No notice case at this hoster' },
  TRIAGE_MEDIA_NOT_FOUND: { status: 404, retryable: false, title: 'No stored media with this sha256' },
  TRIAGE_MEDIA_BUSY: { status: 503, retryable: true, title: 'Too many media previews in progress' },
  TRIAGE_REVEAL_NOT_PERMITTED: {
    status: 403,
    retryable: false,
    title: 'Revealing this media is not permitted',
  },
  TRIAGE_HASH_LOOKUP_INVALID: {
    status: 400,
    retryable: false,
    title: 'Hash look-up value or parameter is invalid',
  },
  TRIAGE_HASH_TYPE_AMBIGUOUS: {
    status: 400,
    retryable: false,
    title: 'Hash type is ambiguous (SHA-256 or PDQ)',
  },
  TRIAGE_HASH_DISTANCE_TOO_LARGE: {
    status: 400,
    retryable: false,
    title: 'PDQ distance above the allowed maximum',
  },
  TRIAGE_TIER_OVERRIDE_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'Only a supervisor may override a tier',
  },
  TRIAGE_ASSIGN_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'An analyst may assign a case only to themselves',
  },
  TRIAGE_ACTION_ID_CONFLICT: {
    status: 409,
    retryable: false,
    title: 'This action id was already used for another action',
  },
  TRIAGE_ACTIONS_UNAVAILABLE: {
    status: 503,
    retryable: true,
    title: 'The action could not be written',
  },
  TRIAGE_ENRICH_INPUT_INVALID: {
    status: 422,
    retryable: false,
    title: 'Not an IP address or a URL with a host',
  },
  TRIAGE_ENRICH_DATABASE_UNREADABLE: {
    status: 500,
    retryable: false,
    title: 'Geolocation or ASN database cannot be read',
  },
  TRIAGE_TAKEDOWN_INVALID: {
    status: 422,
    retryable: false,
    title: 'Takedown request or event breaks the event rules',
  },
  TRIAGE_TAKEDOWN_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: 'Takedown request over 1 000 events or the body limit',
  },
  TRIAGE_TAKEDOWN_NO_NOTICE: {
    status: 422,
    retryable: false,
    title: 'Takedown event for a notice that was never sent',
  },
  TRIAGE_TAKEDOWN_NOTICE_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: "Takedown event on another partner's notice",
  },
  TRIAGE_TAKEDOWN_NOTICE_EXISTS: { status: 409, retryable: false, title: 'Notice already sent' },
  TRIAGE_TAKEDOWN_CASE_CLOSED: {
    status: 409,
    retryable: false,
    title: 'Takedown event on a closed notice case',
  },
  TRIAGE_TAKEDOWN_OUT_OF_ORDER: {
    status: 422,
    retryable: false,
    title: 'Takedown event before the latest event of its case or URL',
  },
  TRIAGE_TAKEDOWN_EVENT_ID_REUSED: {
    status: 409,
    retryable: false,
    title: 'Takedown event id already used for different content',
  },
  TRIAGE_TAKEDOWNS_UNAVAILABLE: {
    status: 503,
    retryable: true,
    title: 'Takedown events cannot be recorded now',
  },
  TRIAGE_CATEGORY_INVALID: {
    status: 400,
    retryable: false,
    title: 'Not a VICS category',
  },
  TRIAGE_CATEGORY_CONFIRMED: {
    status: 409,
    retryable: false,
    title: "The item's category is already confirmed",
  },
  TRIAGE_CATEGORY_SELF_CONFIRMATION: {
    status: 403,
    retryable: false,
    title: 'Nobody confirms their own category',
  },
  TRIAGE_CATEGORY_NOT_PROPOSED: {
    status: 409,
    retryable: false,
    title: 'No category is proposed for this item',
  },
  TRIAGE_CATEGORY_MISMATCH: {
    status: 409,
    retryable: false,
    title: 'The proposed category is another one',
  },
  TRIAGE_CATEGORY_DISPUTED: {
    status: 409,
    retryable: false,
    title: "Analysts disagree on this item's category",
  },
  TRIAGE_CATEGORY_SETTLE_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'Only a supervisor settles a disagreement',
  },
  TRIAGE_CATEGORY_REASON_REQUIRED: {
    status: 400,
    retryable: false,
    title: 'A reason is required',
  },
  TRIAGE_CATEGORY_NOT_CONFIRMED: {
    status: 409,
    retryable: false,
    title: "The item's category is not confirmed",
  },
  TRIAGE_CATEGORY_WITHDRAW_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'Only the confirmer or a supervisor withdraws a confirmation',
  },
  TRIAGE_CATEGORY_ITEM_UNKNOWN: {
    status: 404,
    retryable: false,
    title: 'The case has no such item with hashes',
  },
  TRIAGE_HASHLIST_EXPORT_INVALID: {
    status: 400,
    retryable: false,
    title: 'Hash-list export option is invalid',
  },
  TRIAGE_HASH_CHECK_BATCH_TOO_LARGE: {
    status: 413,
    retryable: false,
    title: 'Hash-check batch holds more hashes than allowed',
  },
  TRIAGE_HASH_CHECK_HASH_INVALID: {
    status: 422,
    retryable: false,
    title: 'A hash of the batch is not a hash of its type',
  },
  TRIAGE_HASH_CHECK_FIELD_REFUSED: {
    status: 403,
    retryable: false,
    title: 'The hoster policy does not give this field',
  },
  TRIAGE_HASH_CHECK_QUOTA: {
    status: 429,
    retryable: true,
    title: "The hoster's daily hash quota is used up",
  },
  TRIAGE_HASH_CHECK_PROBING: {
    status: 429,
    retryable: true,
    title: 'Hash checks paused: the queries look like probing',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];
