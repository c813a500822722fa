import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePythonVenv } from '../lib/python-venv.ts';

/**
 * The baseline: `pdqhash` from PyPI (Cython bindings to Meta's C++ PDQ core), with Pillow decoding
 * the file, one image at a time in one Python process. The suite installs it itself: the pinned
 * versions of requirements.txt go into a virtual environment at `.tools/bench-venv` on the first
 * run (pip builds pdqhash from source, so a C++ compiler is needed) and are reused afterwards.
 * `PDQHASH_PYTHON` names an interpreter that already has them instead; nothing is installed then.
 */
const requirementsFile = path.join(import.meta.dirname, 'requirements.txt');

const script = `
import io, json, sys, time
import numpy as np, pdqhash, PIL
from PIL import Image
job = json.load(open(sys.argv[1]))
data = [open(p, 'rb').read() for p in job['files']]
def run(b):
    image = Image.open(io.BytesIO(b)).convert('RGB')
    hashes, quality = pdqhash.compute_dihedral(np.asarray(image))
    return '%064x' % int(''.join(str(int(x)) for x in hashes[0]), 2), int(quality)
run(data[0])  # warm-up
times, results = [], []
for b in data:
    start = time.perf_counter()
    hash_, quality = run(b)
    times.append((time.perf_counter() - start) * 1000)
    results.append({'hash': hash_, 'quality': quality})
print(json.dumps({'times': times, 'results': results, 'pdqhash': pdqhash.__version__,
                  'pillow': PIL.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0]}))
`;

export interface Pdqhash {
  /** The interpreter that has pdqhash, numpy and Pillow. */
  readonly python: string;
  /** For the report, e.g. `pdqhash 0.2.8, Pillow 13.0.0, numpy 2.4.6, Python 3.11.7`. */
  readonly versions: string;
}

/** One thread for numpy and friends, like the other columns. */
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function versionsOf(python: string): string {
  const printed = execFileSync(
    python,
    [
      '-c',
      'import sys, pdqhash, numpy, PIL; print(pdqhash.__version__, PIL.__version__, numpy.__version__, sys.version.split()[0])',
    ],
    { encoding: 'utf8', env },
  );
  const [pdqhash, pillow, numpy, version] = printed.trim().split(' ');
  return `pdqhash ${pdqhash}, Pillow ${pillow}, numpy ${numpy}, Python ${version}`;
}

/** The baseline, installed first when it is not yet (throws when it cannot be). */
export async function preparePdqhash(repoRoot: string, log: (message: string) => void): Promise<Pdqhash> {
  const given = process.env.PDQHASH_PYTHON;
  if (given) {
    try {
      return { python: given, versions: versionsOf(given) };
    } catch (error) {
      throw new Error(
        `PDQHASH_PYTHON=${given} cannot import pdqhash, numpy and PIL; unset it to let the suite install them`,
        { cause: error },
      );
    }
  }
  const python = await ensurePythonVenv({
    dir: path.join(repoRoot, '.tools', 'bench-venv'),
    requirementsFile,
    imports: ['pdqhash', 'numpy', 'PIL'],
    needs: 'a C++ compiler (g++) and network access to PyPI: pdqhash has no wheels and is built from source',
    log,
  });
  return { python, versions: versionsOf(python) };
}

export interface PdqhashRound {
  /** Milliseconds per file, decode included. */
  readonly times: number[];
  readonly results: { hash: string; quality: number }[];
}

/** One timed pass over the files in a fresh Python process (after one untimed warm-up image). */
export function runPdqhashRound(python: string, files: readonly string[]): PdqhashRound {
  const dir = mkdtempSync(path.join(tmpdir(), 'triage-bench-pdqhash-'));
  try {
    writeFileSync(path.join(dir, 'bench.py'), script);
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ files }));
    const output = execFileSync(python, [path.join(dir, 'bench.py'), path.join(dir, 'job.json')], {
      encoding: 'utf8',
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output) as PdqhashRound;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
