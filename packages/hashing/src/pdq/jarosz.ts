/**
 * PDQ steps 1, 3 and 4 (pdq.md): luma, the two-pass Jarosz tent filter and decimation to 64x64,
 * fused into one streaming pass that gives the same float32 results as Meta's reference.
 *
 * The reference runs four full-image passes (rows, columns, rows, columns) and then samples 64x64
 * cell centres. Each box filter keeps a running float32 sum (add the entering sample, subtract the
 * leaving one, divide by the number of samples in range), so every output depends on the exact
 * order of those additions. This module performs exactly the same additions in exactly the same
 * order per row and per column, but:
 *
 * - luma and the first row pass are computed one image row at a time, only when the first column
 *   pass needs that row, into a ring of (window + 1) rows instead of a full-size buffer;
 * - the first column pass walks memory row by row, keeping one running sum per column (the
 *   reference walks down each column, a cache miss per sample on large images);
 * - the second row pass keeps its running sums along the whole row but divides and stores only at
 *   the 64 decimation columns; the second column pass runs on those 64 columns only and stores
 *   only at the 64 decimation rows.
 */

/** Rec. 601 luma coefficients rounded to float32, as the reference declares them. */
const LUMA_R = Math.fround(0.299);
const LUMA_G = Math.fround(0.587);
const LUMA_B = Math.fround(0.114);

/** float32(coefficient * v) for every byte value: the reference's per-product rounding. */
function productTable(coefficient: number): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = coefficient * v;
  return table;
}

const lumaR = productTable(LUMA_R);
const lumaG = productTable(LUMA_G);
const lumaB = productTable(LUMA_B);

/** Jarosz window for one dimension: floor((dimension + 127) / 128) (two passes of half a cell each). */
export function jaroszWindowSize(dimension: number): number {
  return Math.floor((dimension + 127) / 128);
}

/** The 64 cell-centre sample positions along a dimension: floor((i + 0.5) * dimension / 64). */
export function decimationIndices(dimension: number): Int32Array {
  const indices = new Int32Array(64);
  for (let i = 0; i < 64; i++) indices[i] = Math.floor(((i + 0.5) * dimension) / 64);
  return indices;
}

/**
 * Geometry of one box filter of window `w` over `n` samples (Java `box1DFloat`): output `o` is the
 * running sum after adding sample `o + lead` (if in range) and then subtracting sample `o - lag`
 * (if in range), divided by the number of samples currently summed. Even windows lean right.
 */
interface BoxGeometry {
  /** Samples added before the first output: half - 1, where half = (w + 2) >> 1. */
  readonly lead: number;
  /** Output `o` drops sample `o - lag`: w - half + 1. */
  readonly lag: number;
}

function boxGeometry(window: number): BoxGeometry {
  const half = (window + 2) >> 1;
  return { lead: half - 1, lag: window - half + 1 };
}

/** One image row of float32 luma (Java `fillFloatLumaFromBufferImage`; grey is copied as is). */
function lumaRow(pixels: Uint8Array, row: number, cols: number, channels: 1 | 3, out: Float32Array): void {
  if (channels === 1) {
    const base = row * cols;
    for (let j = 0; j < cols; j++) out[j] = pixels[base + j]!;
    return;
  }
  let p = row * cols * 3;
  for (let j = 0; j < cols; j++, p += 3) {
    // (R*r + G*g) + B*b, each product and each sum rounded to float32.
    out[j] = Math.fround(lumaR[pixels[p]!]! + lumaG[pixels[p + 1]!]!) + lumaB[pixels[p + 2]!]!;
  }
}

/** Box filter along one row, every output written (the first row pass). */
function boxRow(input: Float32Array, n: number, geometry: BoxGeometry, out: Float32Array, outOffset: number) {
  const { lead, lag } = geometry;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < lead; i++) {
    sum = Math.fround(sum + input[i]!);
    count++;
  }
  // Phase 2: window growing; phase 3: full window; phase 4: window shrinking.
  let o = 0;
  for (; o < lag; o++) {
    sum = Math.fround(sum + input[o + lead]!);
    count++;
    out[outOffset + o] = sum / count;
  }
  const fullEnd = n - lead;
  for (; o < fullEnd; o++) {
    sum = Math.fround(sum + input[o + lead]!);
    sum = Math.fround(sum - input[o - lag]!);
    out[outOffset + o] = sum / count;
  }
  for (; o < n; o++) {
    sum = Math.fround(sum - input[o - lag]!);
    count--;
    out[outOffset + o] = sum / count;
  }
}

/**
 * Box filter along one row, keeping the running sum exactly as `boxRow` does but dividing and
 * storing only at the 64 decimation columns (sorted, possibly repeated on narrow images).
 */
function boxRowAtTargets(
  input: Float32Array,
  n: number,
  geometry: BoxGeometry,
  targets: Int32Array,
  out: Float32Array,
  outOffset: number,
): void {
  const { lead, lag } = geometry;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < lead; i++) {
    sum = Math.fround(sum + input[i]!);
    count++;
  }
  let k = 0;
  let next = targets[0]!;
  const last = targets[63]!;
  for (let o = 0; o <= last; o++) {
    if (o + lead < n) {
      sum = Math.fround(sum + input[o + lead]!);
      count++;
    }
    if (o >= lag) {
      sum = Math.fround(sum - input[o - lag]!);
      count--;
    }
    if (o === next) {
      const value = Math.fround(sum / count);
      while (k < 64 && targets[k] === o) out[outOffset + k++] = value;
      next = k < 64 ? targets[k]! : -1;
    }
  }
}

/**
 * Luma, Jarosz filter and decimation: the 64x64 float32 image (row-major) of the reference.
 * `pixels` holds `rows * cols * channels` bytes, channel-interleaved (1 = grey, 3 = RGB).
 * Callers check the minimum size (5 px) first.
 */
export function downsampleTo64(
  pixels: Uint8Array,
  rows: number,
  cols: number,
  channels: 1 | 3,
): Float32Array {
  const alongRows = boxGeometry(jaroszWindowSize(cols));
  const alongCols = boxGeometry(jaroszWindowSize(rows));
  const colTargets = decimationIndices(cols);
  const rowTargets = decimationIndices(rows);

  // Pass 1 (rows) output, kept for the rows pass 2 still needs: it adds row o + lead and drops
  // row o - lag, lead + lag = window, so window + 1 slots always hold both.
  const ringSize = alongCols.lead + alongCols.lag + 1;
  const ring = new Float32Array(ringSize * cols);
  const luma = new Float32Array(cols);
  const computePass1Row = (row: number): number => {
    const offset = (row % ringSize) * cols;
    lumaRow(pixels, row, cols, channels, luma);
    boxRow(luma, cols, alongRows, ring, offset);
    return offset;
  };

  // Pass 2 (columns) walks rows, one running sum per column; each finished output row goes
  // straight into pass 3 (rows), which keeps only the 64 decimation columns.
  const sums = new Float32Array(cols);
  const pass2Row = new Float32Array(cols);
  const pass3 = new Float32Array(rows * 64);
  let count = 0;
  for (let row = 0; row < alongCols.lead; row++) {
    const offset = computePass1Row(row);
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + ring[offset + j]!;
    count++;
  }
  for (let o = 0; o < rows; o++) {
    const entering = o + alongCols.lead;
    const leaving = o - alongCols.lag;
    // One sweep per output row: add the entering row, then subtract the leaving one (each rounded
    // to float32, as the reference's two statements are), then divide.
    if (entering < rows && leaving >= 0) {
      const add = computePass1Row(entering);
      const sub = (leaving % ringSize) * cols;
      for (let j = 0; j < cols; j++) {
        const sum = Math.fround(sums[j]! + ring[add + j]!) - ring[sub + j]!;
        sums[j] = sum;
        pass2Row[j] = Math.fround(sum) / count;
      }
    } else if (entering < rows) {
      const add = computePass1Row(entering);
      count++;
      for (let j = 0; j < cols; j++) {
        const sum = sums[j]! + ring[add + j]!;
        sums[j] = sum;
        pass2Row[j] = Math.fround(sum) / count;
      }
    } else {
      const sub = (leaving % ringSize) * cols;
      count--;
      for (let j = 0; j < cols; j++) {
        const sum = sums[j]! - ring[sub + j]!;
        sums[j] = sum;
        pass2Row[j] = Math.fround(sum) / count;
      }
    }
    boxRowAtTargets(pass2Row, cols, alongRows, colTargets, pass3, o * 64);
  }

  // Pass 4 (columns) on the 64 kept columns, stored only at the 64 decimation rows.
  const out = new Float32Array(64 * 64);
  const sums64 = new Float32Array(64);
  count = 0;
  for (let row = 0; row < alongCols.lead; row++) {
    for (let j = 0; j < 64; j++) sums64[j] = sums64[j]! + pass3[row * 64 + j]!;
    count++;
  }
  let k = 0;
  const lastRow = rowTargets[63]!;
  for (let o = 0; o <= lastRow; o++) {
    const entering = o + alongCols.lead;
    if (entering < rows) {
      for (let j = 0; j < 64; j++) sums64[j] = sums64[j]! + pass3[entering * 64 + j]!;
      count++;
    }
    const leaving = o - alongCols.lag;
    if (leaving >= 0) {
      for (let j = 0; j < 64; j++) sums64[j] = sums64[j]! - pass3[leaving * 64 + j]!;
      count--;
    }
    while (k < 64 && rowTargets[k] === o) {
      for (let j = 0; j < 64; j++) out[k * 64 + j] = sums64[j]! / count;
      k++;
    }
  }
  return out;
}
