import { describe, expect, it } from 'vitest';
import { caseCommand, type KeyPress, moveSelection, nextInOrder, queueCommand } from './keyboard.ts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  inField: false,
  ...extra,
});

describe('keyboard map', () => {
  it('given the queue keys, then j/k and the arrows move, Enter opens, c claims, / searches', () => {
    expect(
      ['j', 'ArrowDown', 'k', 'ArrowUp', 'Enter', 'c', '/', 'x'].map((key) => queueCommand(press(key))),
    ).toEqual(['down', 'down', 'up', 'up', 'open', 'claim', 'search', null]);
  });

  it('given a key typed into a field or with a modifier, then the console leaves it alone', () => {
    expect(queueCommand(press('j', { inField: true }))).toBeNull();
    expect(queueCommand(press('c', { ctrlKey: true }))).toBeNull();
    expect(caseCommand(press('n', { metaKey: true }))).toBeNull();
    expect(caseCommand(press('n', { altKey: true }))).toBeNull();
  });

  it('given the case keys, then n opens the next case and u goes back to the queue', () => {
    expect(caseCommand(press('n'))).toBe('next-case');
    expect(caseCommand(press('u'))).toBe('queue');
    expect(caseCommand(press('j'))).toBeNull();
  });
});

describe('selection and next case', () => {
  it('given no selection, then down selects the first row and up the last', () => {
    expect(moveSelection(null, 3, 'down')).toBe(0);
    expect(moveSelection(null, 3, 'up')).toBe(2);
    expect(moveSelection(null, 0, 'down')).toBeNull();
  });

  it('given the ends of the page, then the selection stays on them', () => {
    expect(moveSelection(2, 3, 'down')).toBe(2);
    expect(moveSelection(0, 3, 'up')).toBe(0);
    expect(moveSelection(1, 3, 'down')).toBe(2);
  });

  it('given the queue order, then the next case follows the current one; none after the last', () => {
    expect(nextInOrder(['a', 'b', 'c'], 'b')).toBe('c');
    expect(nextInOrder(['a', 'b', 'c'], 'c')).toBeNull();
    expect(nextInOrder(['a', 'b'], 'z')).toBe('a');
  });
});
