import { categoryActionExample, type TriageAction } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import {
  type CategoryState,
  type CategoryStep,
  categoryStepOf,
  decideCategory,
  foldCategories,
  type ItemHashes,
  uncategorised,
} from './category-rules.ts';
import { confirmedKnownHash, listChanges, wantedEntries } from './confirmed-entries.ts';

const hashes = {
  md5: 'a'.repeat(32),
  sha1: 'b'.repeat(40),
  sha256: 'c'.repeat(64),
  pdq: 'd'.repeat(64),
} satisfies ItemHashes;

let clock = 1_000;
const step = (
  type: CategoryStep['type'],
  actor: string,
  fields: Partial<CategoryStep> = {},
): CategoryStep => ({
  type,
  actor,
  role: 'analyst',
  category: type === 'withdrawCategory' ? null : 1,
  reason: null,
  hashes,
  at: clock++,
  ...fields,
});

/** The state after the steps, failing the test on a refusal. */
function after(...steps: CategoryStep[]): CategoryState {
  let state = uncategorised;
  for (const next of steps) {
    const decision = decideCategory(state, next);
    if ('refused' in decision) throw new Error(`${next.type} refused: ${decision.refused}`);
    state = decision.next;
  }
  return state;
}

const refusalOf = (state: CategoryState, next: CategoryStep) => {
  const decision = decideCategory(state, next);
  return 'refused' in decision ? decision.refused : null;
};

describe('decideCategory', () => {
  it('given a first call, then proposed with the hashes; the proposer may revise it', () => {
    const proposed = after(step('categorise', 'analyst-1'));
    expect(proposed).toMatchObject({
      status: 'proposed',
      proposal: { category: 1, actor: 'analyst-1' },
      hashes,
    });
    expect(
      after(step('categorise', 'analyst-1'), step('categorise', 'analyst-1', { category: 2 })),
    ).toMatchObject({
      status: 'proposed',
      proposal: { category: 2, actor: 'analyst-1' },
    });
  });

  it('given a category that is not a VICS one, then TRIAGE_CATEGORY_INVALID', () => {
    expect(refusalOf(uncategorised, step('categorise', 'analyst-1', { category: 7 }))).toBe(
      'TRIAGE_CATEGORY_INVALID',
    );
    expect(refusalOf(uncategorised, step('categorise', 'analyst-1', { category: null }))).toBe(
      'TRIAGE_CATEGORY_INVALID',
    );
  });

  it('given a proposal, when another analyst confirms it, then confirmed by them', () => {
    expect(after(step('categorise', 'analyst-1'), step('confirmCategory', 'analyst-2'))).toMatchObject({
      status: 'confirmed',
      category: 1,
      proposedBy: ['analyst-1'],
      confirmedBy: 'analyst-2',
      settledReason: null,
      hashes,
    });
  });

  it('given a proposal, when the proposer confirms it, then TRIAGE_CATEGORY_SELF_CONFIRMATION', () => {
    const proposed = after(step('categorise', 'analyst-1'));
    expect(refusalOf(proposed, step('confirmCategory', 'analyst-1'))).toBe(
      'TRIAGE_CATEGORY_SELF_CONFIRMATION',
    );
  });

  it('given nothing proposed, when confirmed, then TRIAGE_CATEGORY_NOT_PROPOSED', () => {
    expect(refusalOf(uncategorised, step('confirmCategory', 'analyst-2'))).toBe(
      'TRIAGE_CATEGORY_NOT_PROPOSED',
    );
  });

  it('given a proposal, when another analyst confirms another category, then TRIAGE_CATEGORY_MISMATCH', () => {
    const proposed = after(step('categorise', 'analyst-1'));
    expect(refusalOf(proposed, step('confirmCategory', 'analyst-2', { category: 2 }))).toBe(
      'TRIAGE_CATEGORY_MISMATCH',
    );
  });

  it('given a proposal, when another analyst categorises the same, then that is their confirmation', () => {
    expect(after(step('categorise', 'analyst-1'), step('categorise', 'analyst-2'))).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'analyst-2',
    });
  });

  it('given a proposal, when another analyst categorises differently, then disputed and not confirmable', () => {
    const disputed = after(step('categorise', 'analyst-1'), step('categorise', 'analyst-2', { category: 2 }));
    expect(disputed).toMatchObject({
      status: 'disputed',
      proposals: [
        { category: 1, actor: 'analyst-1' },
        { category: 2, actor: 'analyst-2' },
      ],
    });
    expect(refusalOf(disputed, step('confirmCategory', 'analyst-3'))).toBe('TRIAGE_CATEGORY_DISPUTED');
  });

  it('given a dispute, when a supervisor settles it with a reason, then confirmed with the reason', () => {
    const settled = after(
      step('categorise', 'analyst-1'),
      step('categorise', 'analyst-2', { category: 2 }),
      step('settleCategory', 'supervisor-1', { role: 'supervisor', category: 2, reason: 'invented reason' }),
    );
    expect(settled).toMatchObject({
      status: 'confirmed',
      category: 2,
      proposedBy: ['analyst-1', 'analyst-2'],
      confirmedBy: 'supervisor-1',
      settledReason: 'invented reason',
    });
  });

  it('given a dispute, then an analyst may not settle, a reason is required, a party may not settle', () => {
    const disputed = after(
      step('categorise', 'analyst-1'),
      step('categorise', 'supervisor-9', { category: 2 }),
    );
    const settle = (actor: string, fields: Partial<CategoryStep>) =>
      refusalOf(disputed, step('settleCategory', actor, { role: 'supervisor', reason: 'r', ...fields }));
    expect(settle('analyst-3', { role: 'analyst' })).toBe('TRIAGE_CATEGORY_SETTLE_FORBIDDEN');
    expect(settle('supervisor-1', { reason: null })).toBe('TRIAGE_CATEGORY_REASON_REQUIRED');
    expect(settle('supervisor-1', { reason: '  ' })).toBe('TRIAGE_CATEGORY_REASON_REQUIRED');
    expect(settle('supervisor-9', {})).toBe('TRIAGE_CATEGORY_SELF_CONFIRMATION');
    expect(settle('supervisor-1', {})).toBeNull();
  });

  it('given no dispute, when a supervisor settles, then TRIAGE_CATEGORY_NOT_PROPOSED', () => {
    const proposed = after(step('categorise', 'analyst-1'));
    expect(
      refusalOf(proposed, step('settleCategory', 'supervisor-1', { role: 'supervisor', reason: 'r' })),
    ).toBe('TRIAGE_CATEGORY_NOT_PROPOSED');
  });

  it('given a confirmation, then a new call or a second confirmation is refused with TRIAGE_CATEGORY_CONFIRMED', () => {
    const confirmed = after(step('categorise', 'analyst-1'), step('confirmCategory', 'analyst-2'));
    expect(refusalOf(confirmed, step('categorise', 'analyst-3', { category: 2 }))).toBe(
      'TRIAGE_CATEGORY_CONFIRMED',
    );
    expect(refusalOf(confirmed, step('confirmCategory', 'analyst-3'))).toBe('TRIAGE_CATEGORY_CONFIRMED');
  });

  it('given a confirmation, then the confirmer or a supervisor withdraws it with a reason; others may not', () => {
    const confirmed = after(step('categorise', 'analyst-1'), step('confirmCategory', 'analyst-2'));
    const withdraw = (actor: string, fields: Partial<CategoryStep> = {}) =>
      refusalOf(confirmed, step('withdrawCategory', actor, { reason: 'invented reason', ...fields }));
    expect(withdraw('analyst-1')).toBe('TRIAGE_CATEGORY_WITHDRAW_FORBIDDEN');
    expect(withdraw('analyst-2', { reason: null })).toBe('TRIAGE_CATEGORY_REASON_REQUIRED');
    expect(withdraw('analyst-2')).toBeNull();
    expect(withdraw('supervisor-1', { role: 'supervisor' })).toBeNull();
    expect(
      after(
        step('categorise', 'analyst-1'),
        step('confirmCategory', 'analyst-2'),
        step('withdrawCategory', 'analyst-2', { reason: 'r' }),
      ),
    ).toMatchObject({
      status: 'withdrawn',
      category: 1,
      withdrawnBy: 'analyst-2',
    });
  });

  it('given nothing confirmed, when withdrawn, then TRIAGE_CATEGORY_NOT_CONFIRMED; after a withdrawal a new call starts over', () => {
    expect(refusalOf(uncategorised, step('withdrawCategory', 'analyst-2', { reason: 'r' }))).toBe(
      'TRIAGE_CATEGORY_NOT_CONFIRMED',
    );
    const withdrawn = after(
      step('categorise', 'analyst-1'),
      step('confirmCategory', 'analyst-2'),
      step('withdrawCategory', 'analyst-2', { reason: 'r' }),
    );
    const decision = decideCategory(withdrawn, step('categorise', 'analyst-3', { category: 3 }));
    expect(decision).toMatchObject({
      next: { status: 'proposed', proposal: { actor: 'analyst-3', category: 3 } },
    });
  });
});

const action = (
  actionId: string,
  type: TriageAction['type'],
  actor: string,
  payload: Record<string, string>,
  role: TriageAction['role'] = 'analyst',
): TriageAction => ({
  actionId,
  reportId: 'partner-a:1',
  reportVersion: 1,
  actor,
  role,
  type,
  payload,
  at: clock++,
  requestId: null,
});

describe('foldCategories', () => {
  const categorise = action('a-1', 'categorise', 'analyst-1', { itemId: 'i-1', category: '1', ...hashes });
  const confirm = action('a-2', 'confirmCategory', 'analyst-2', { itemId: 'i-1', category: '1' });

  it('given a log, then each item state from its category actions; other actions and refused steps change nothing', () => {
    const selfConfirm = action('a-0', 'confirmCategory', 'analyst-1', { itemId: 'i-1', category: '1' });
    const note = action('a-3', 'note', 'analyst-1', { text: 'invented' });
    const ledger = foldCategories([categorise, selfConfirm, note, confirm]);
    expect(ledger.state('partner-a:1', 'i-1')).toMatchObject({
      status: 'confirmed',
      confirmedBy: 'analyst-2',
      hashes,
    });
    expect(ledger.state('partner-a:1', 'i-2')).toEqual(uncategorised);
  });

  it('given an action delivered twice, then it is applied once', () => {
    const withdraw = action('a-4', 'withdrawCategory', 'analyst-2', { itemId: 'i-1', reason: 'r' });
    const recategorise = action('a-5', 'categorise', 'analyst-3', {
      itemId: 'i-1',
      category: '2',
      ...hashes,
    });
    const ledger = foldCategories([categorise, confirm, withdraw, recategorise, confirm]);
    expect(ledger.state('partner-a:1', 'i-1')).toMatchObject({
      status: 'proposed',
      proposal: { actor: 'analyst-3' },
    });
  });

  it("given the schemas' category example, then its step names the item, the category and all four hashes", () => {
    const { payload } = categoryActionExample;
    expect(categoryStepOf(categoryActionExample)).toMatchObject({
      itemId: payload.itemId,
      type: 'categorise',
      category: 1,
      hashes: { md5: payload.md5, sha1: payload.sha1, sha256: payload.sha256, pdq: payload.pdq },
    });
  });

  it('given an action without an item or with a non-number category, then its step has no item or no category', () => {
    expect(categoryStepOf(action('a-6', 'categorise', 'analyst-1', { category: '1' }))).toBeNull();
    expect(
      categoryStepOf(action('a-7', 'categorise', 'analyst-1', { itemId: 'i', category: 'x' }))?.category,
    ).toBeNull();
    expect(
      categoryStepOf(action('a-8', 'categorise', 'analyst-1', { itemId: 'i', category: '1', md5: '' }))
        ?.hashes.md5,
    ).toBeNull();
  });
});

describe('wantedEntries and listChanges', () => {
  const confirmed = after(step('categorise', 'analyst-1'), step('confirmCategory', 'analyst-2'));

  it('given a confirmed item, then one entry per hash it has (all four), none for a proposal or a withdrawal', () => {
    const wanted = wantedEntries('police-confirmed', [
      confirmed,
      after(step('categorise', 'analyst-1', { hashes: { ...hashes, md5: 'e'.repeat(32) } })),
    ]);
    expect([...wanted.keys()].sort()).toEqual([
      `police-confirmed:MD5:${hashes.md5}`,
      `police-confirmed:PDQ:${hashes.pdq}`,
      `police-confirmed:SHA1:${hashes.sha1}`,
      `police-confirmed:SHA256:${hashes.sha256}`,
    ]);
    expect(wanted.get(`police-confirmed:PDQ:${hashes.pdq}`)).toMatchObject({
      category: 1,
      mediaId: hashes.sha256,
    });
  });

  it('given two confirmed items sharing a hash, then the later confirmation decides its category', () => {
    const later = after(
      step('categorise', 'analyst-3', { category: 3, hashes: { ...hashes, md5: null } }),
      step('confirmCategory', 'analyst-4', { category: 3 }),
    );
    const wanted = wantedEntries('l', [later, confirmed]);
    expect(wanted.get(`l:SHA256:${hashes.sha256}`)?.category).toBe(3);
    expect(wanted.get(`l:MD5:${hashes.md5}`)?.category).toBe(1);
  });

  it('given held entries, then writes for new or changed ones and tombstones for those no longer wanted', () => {
    const wanted = wantedEntries('l', [confirmed]);
    const held = new Map<string, number | null>([
      [`l:MD5:${hashes.md5}`, 1],
      [`l:SHA1:${hashes.sha1}`, 2],
      ['l:MD5:gone', 1],
      ['l:MD5:tombstoned', null],
    ]);
    const changes = listChanges(held, wanted);
    expect([...changes.upserts.keys()].sort()).toEqual([
      `l:PDQ:${hashes.pdq}`,
      `l:SHA1:${hashes.sha1}`,
      `l:SHA256:${hashes.sha256}`,
    ]);
    expect(changes.removals).toEqual(['l:MD5:gone']);
    expect(listChanges(new Map([...wanted].map(([key, entry]) => [key, entry.category])), wanted)).toEqual({
      upserts: new Map(),
      removals: [],
    });
  });

  it('given a wanted entry, then its KnownHash carries the list, version, US label and source', () => {
    const [entry] = wantedEntries('l', [confirmed]).values();
    expect(confirmedKnownHash('l', entry!, { listVersion: '7', importedAt: 5 })).toMatchObject({
      listName: 'l',
      listVersion: '7',
      category: 1,
      categoryLabel: 'child abuse material',
      source: 'triage-confirmed',
      importedAt: 5,
    });
  });
});
