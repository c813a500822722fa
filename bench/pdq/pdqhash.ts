import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The baseline: `pdqhash` from PyPI (Cython bindings to Meta's C++ PDQ core), with Pillow decoding
 * the file, one image at a time in one Python process. Install it with
 *
 *   pip install pdqhash numpy pillow
 *
 * (`PDQHASH_PYTHON` names the interpreter, default `python3`). Without it the suite still runs and
 * says the column was skipped.
 */
export const pdqhashInstall = 'pip install pdqhash numpy pillow';

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

export type PdqhashProbe =
  | { readonly available: true; readonly versions: string }
  | { readonly available: false; readonly reason: string };

const python = () => process.env.PDQHASH_PYTHON ?? 'python3';
/** One thread for numpy and friends, like the other columns. */
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

export function probePdqhash(): PdqhashProbe {
  const probe = spawnSync(
    python(),
    [
      '-c',
      'import sys, pdqhash, numpy, PIL; print(pdqhash.__version__, PIL.__version__, numpy.__version__, sys.version.split()[0])',
    ],
    { encoding: 'utf8', env },
  );
  if (probe.error) return { available: false, reason: `${python()} not found (${probe.error.message})` };
  if (probe.status !== 0) {
    const last = probe.stderr.trim().split('\n').at(-1) ?? 'import failed';
    return { available: false, reason: `${last}; install with \`${pdqhashInstall}\`` };
  }
  const [pdqhash, pillow, numpy, version] = probe.stdout.trim().split(' ');
  return {
    available: true,
    versions: `pdqhash ${pdqhash}, Pillow ${pillow}, numpy ${numpy}, Python ${version}`,
  };
}

export interface PdqhashRound {
  /** Milliseconds per file, decode included. */
  readonly times: number[];
  readonly results: { hash: string; quality: number }[];
}

/** One timed pass over the files in a fresh Python process (after one untimed warm-up image). */
export function runPdqhashRound(files: readonly string[]): PdqhashRound {
  const dir = mkdtempSync(path.join(tmpdir(), 'triage-bench-pdqhash-'));
  try {
    writeFileSync(path.join(dir, 'bench.py'), script);
    writeFileSync(path.join(dir, 'job.json'), JSON.stringify({ files }));
    const output = execFileSync(python(), [path.join(dir, 'bench.py'), path.join(dir, 'job.json')], {
      encoding: 'utf8',
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(output) as PdqhashRound;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
