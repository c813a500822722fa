import { describe, expect, it } from 'vitest';
import { type VenvState, venvSteps } from './python-venv.ts';

const requirements = 'pdqhash==0.2.8\nnumpy==2.4.6\n';
const filled: VenvState = { hasPython: true, stamp: requirements, requirements, importsWork: true };

describe('venvSteps', () => {
  it('given no environment, when deciding, then it is created and filled', () => {
    expect(venvSteps({ hasPython: false, stamp: undefined, requirements, importsWork: false })).toEqual([
      'create',
      'install',
    ]);
  });

  it('given an environment filled from the same requirements whose modules import, when deciding, then nothing is installed', () => {
    expect(venvSteps(filled)).toEqual([]);
  });

  it('given an environment filled from other pins, when deciding, then the new pins are installed', () => {
    expect(venvSteps({ ...filled, stamp: 'pdqhash==0.2.7\n' })).toEqual(['install']);
  });

  it('given an environment never filled (an install that failed), when deciding, then it is filled', () => {
    expect(venvSteps({ ...filled, stamp: undefined })).toEqual(['install']);
  });

  it('given a matching stamp but modules that no longer import, when deciding, then it is filled again', () => {
    expect(venvSteps({ ...filled, importsWork: false })).toEqual(['install']);
  });
});
