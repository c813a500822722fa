// The Problem JSON schema both APIs register (`$id: Problem`), so their OpenAPI documents
// describe errors the same way; each API names its own examples.

export interface ProblemSchemaOptions {
  /** A catalogue code typical of the API, shown as the `code` example. */
  codeExample: string;
  /** What `pointer` points into for this API, e.g. "`/reports/0/files/2/name`". */
  pointerExample: string;
}

export function createProblemSchema(options: ProblemSchemaOptions) {
  return {
    $id: 'Problem',
    type: 'object',
    description: 'RFC 9457 problem details; `code` is from the error catalogue (docs/errors.md).',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string', description: '`urn:triage:problem:<code>`' },
      title: { type: 'string' },
      status: { type: 'integer' },
      code: { type: 'string', examples: [options.codeExample] },
      detail: { type: 'string' },
      instance: { type: 'string' },
      pointer: {
        type: 'string',
        description: `JSON pointer or element path of the offending input, e.g. ${options.pointerExample}`,
      },
      requestId: { type: 'string' },
    },
  } as const;
}

/** An OpenAPI response whose body is the registered Problem schema. */
export function problemResponse(description: string) {
  return {
    description,
    content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
  } as const;
}
