/**
 * PDQ steps 1, 3 and 4 (docs/pdq.md): luma, the two-pass Jarosz tent filter and decimation to 64x64,
 * fused into one streaming pass that gives the same float32 results as Meta's reference.
 *
 * The reference runs four full-image passes (rows, columns, rows, columns) and then samples 64x64
 * cell centres. Each box filter keeps a running float32 sum (add the entering sample, subtract the
 * leaving one, divide by the number of samples in range), so every output depends on the exact
 * order of those additions. This module performs exactly the same additions in exactly the same
 * order per row and per column, but:
 *
 * - luma and the first row pass are computed only when the first column pass needs the rows,
 *   into a ring of (window + 4) rows instead of a full-size buffer;
 * - the first column pass walks memory row by row, keeping one running sum per column (the
 *   reference walks down each column, a cache miss per sample on large images);
 * - the second row pass keeps its running sums along the whole row but divides and stores only at
 *   the 64 decimation columns; the second column pass runs on those 64 columns only and stores
 *   only at the 64 decimation rows;
 * - both row passes run four rows at a time: a running sum is a chain of dependent float32
 *   operations, and four independent chains in one loop let the CPU overlap them (2x faster).
 *
 * Measured on one core (1600x1004 / 4032x3024): ~9 ms / ~70 ms, against ~48 ms / ~414 ms for a
 * straightforward four-pass port (docs/pdq.md).
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
function jaroszWindowSize(dimension: number): number {
  return Math.floor((dimension + 127) / 128);
}

/** The 64 cell-centre sample positions along a dimension: floor((i + 0.5) * dimension / 64). */
function decimationIndices(dimension: number): Int32Array {
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
 * `boxRow` on four rows at once (same outputs, bit for bit). The running sum makes each row's loop
 * a chain of dependent float32 operations; interleaving four independent chains lets the CPU
 * overlap them, which is where most of the time of a one-row loop goes.
 */
function boxRows4(
  input: Float32Array,
  in0: number,
  in1: number,
  in2: number,
  in3: number,
  n: number,
  geometry: BoxGeometry,
  out: Float32Array,
  out0: number,
  out1: number,
  out2: number,
  out3: number,
): void {
  const { lead, lag } = geometry;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let count = 0;
  for (let i = 0; i < lead; i++) {
    s0 = Math.fround(s0 + input[in0 + i]!);
    s1 = Math.fround(s1 + input[in1 + i]!);
    s2 = Math.fround(s2 + input[in2 + i]!);
    s3 = Math.fround(s3 + input[in3 + i]!);
    count++;
  }
  let o = 0;
  for (; o < lag; o++) {
    const r = o + lead;
    s0 = Math.fround(s0 + input[in0 + r]!);
    s1 = Math.fround(s1 + input[in1 + r]!);
    s2 = Math.fround(s2 + input[in2 + r]!);
    s3 = Math.fround(s3 + input[in3 + r]!);
    count++;
    out[out0 + o] = s0 / count;
    out[out1 + o] = s1 / count;
    out[out2 + o] = s2 / count;
    out[out3 + o] = s3 / count;
  }
  const fullEnd = n - lead;
  for (; o < fullEnd; o++) {
    const r = o + lead;
    const l = o - lag;
    s0 = Math.fround(Math.fround(s0 + input[in0 + r]!) - input[in0 + l]!);
    s1 = Math.fround(Math.fround(s1 + input[in1 + r]!) - input[in1 + l]!);
    s2 = Math.fround(Math.fround(s2 + input[in2 + r]!) - input[in2 + l]!);
    s3 = Math.fround(Math.fround(s3 + input[in3 + r]!) - input[in3 + l]!);
    out[out0 + o] = s0 / count;
    out[out1 + o] = s1 / count;
    out[out2 + o] = s2 / count;
    out[out3 + o] = s3 / count;
  }
  for (; o < n; o++) {
    const l = o - lag;
    s0 = Math.fround(s0 - input[in0 + l]!);
    s1 = Math.fround(s1 - input[in1 + l]!);
    s2 = Math.fround(s2 - input[in2 + l]!);
    s3 = Math.fround(s3 - input[in3 + l]!);
    count--;
    out[out0 + o] = s0 / count;
    out[out1 + o] = s1 / count;
    out[out2 + o] = s2 / count;
    out[out3 + o] = s3 / count;
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
  // The same three phases as boxRow; only the stores are limited to the targets.
  const last = targets[63]!;
  let k = 0;
  let next = targets[0]!;
  let o = 0;
  const growEnd = Math.min(lag, last + 1);
  for (; o < growEnd; o++) {
    sum = Math.fround(sum + input[o + lead]!);
    count++;
    if (o === next) {
      const value = Math.fround(sum / count);
      while (k < 64 && targets[k] === o) out[outOffset + k++] = value;
      next = k < 64 ? targets[k]! : -1;
    }
  }
  const fullEnd = Math.min(n - lead, last + 1);
  for (; o < fullEnd; o++) {
    sum = Math.fround(Math.fround(sum + input[o + lead]!) - input[o - lag]!);
    if (o === next) {
      const value = Math.fround(sum / count);
      while (k < 64 && targets[k] === o) out[outOffset + k++] = value;
      next = k < 64 ? targets[k]! : -1;
    }
  }
  for (; o <= last; o++) {
    sum = Math.fround(sum - input[o - lag]!);
    count--;
    if (o === next) {
      const value = Math.fround(sum / count);
      while (k < 64 && targets[k] === o) out[outOffset + k++] = value;
      next = k < 64 ? targets[k]! : -1;
    }
  }
}

/** `boxRowAtTargets` on four rows at once (same outputs, bit for bit; see `boxRows4`). */
function boxRowsAtTargets4(
  input: Float32Array,
  in0: number,
  in1: number,
  in2: number,
  in3: number,
  n: number,
  geometry: BoxGeometry,
  targets: Int32Array,
  out: Float32Array,
  out0: number,
  out1: number,
  out2: number,
  out3: number,
): void {
  const { lead, lag } = geometry;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let count = 0;
  for (let i = 0; i < lead; i++) {
    s0 = Math.fround(s0 + input[in0 + i]!);
    s1 = Math.fround(s1 + input[in1 + i]!);
    s2 = Math.fround(s2 + input[in2 + i]!);
    s3 = Math.fround(s3 + input[in3 + i]!);
    count++;
  }
  const last = targets[63]!;
  let k = 0;
  for (let o = 0; o <= last; o++) {
    const r = o + lead;
    const l = o - lag;
    if (r < n && l >= 0) {
      s0 = Math.fround(Math.fround(s0 + input[in0 + r]!) - input[in0 + l]!);
      s1 = Math.fround(Math.fround(s1 + input[in1 + r]!) - input[in1 + l]!);
      s2 = Math.fround(Math.fround(s2 + input[in2 + r]!) - input[in2 + l]!);
      s3 = Math.fround(Math.fround(s3 + input[in3 + r]!) - input[in3 + l]!);
    } else if (r < n) {
      s0 = Math.fround(s0 + input[in0 + r]!);
      s1 = Math.fround(s1 + input[in1 + r]!);
      s2 = Math.fround(s2 + input[in2 + r]!);
      s3 = Math.fround(s3 + input[in3 + r]!);
      count++;
    } else {
      s0 = Math.fround(s0 - input[in0 + l]!);
      s1 = Math.fround(s1 - input[in1 + l]!);
      s2 = Math.fround(s2 - input[in2 + l]!);
      s3 = Math.fround(s3 - input[in3 + l]!);
      count--;
    }
    while (k < 64 && targets[k] === o) {
      out[out0 + k] = s0 / count;
      out[out1 + k] = s1 / count;
      out[out2 + k] = s2 / count;
      out[out3 + k] = s3 / count;
      k++;
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
  // row o - lag (lead + lag = window), and pass 1 runs up to 3 rows ahead (four at a time).
  const ringSize = alongCols.lead + alongCols.lag + 4;
  const ring = new Float32Array(ringSize * cols);
  const luma = new Float32Array(4 * cols);
  let pass1Rows = 0;
  const computePass1Row = (row: number): number => {
    while (pass1Rows <= row) {
      const first = pass1Rows;
      if (first + 4 <= rows) {
        for (let k = 0; k < 4; k++) lumaRow(pixels, first + k, cols, channels, luma.subarray(k * cols));
        const slot = (k: number) => ((first + k) % ringSize) * cols;
        boxRows4(
          luma,
          0,
          cols,
          2 * cols,
          3 * cols,
          cols,
          alongRows,
          ring,
          slot(0),
          slot(1),
          slot(2),
          slot(3),
        );
        pass1Rows += 4;
      } else {
        lumaRow(pixels, first, cols, channels, luma);
        boxRow(luma, cols, alongRows, ring, (first % ringSize) * cols);
        pass1Rows++;
      }
    }
    return (row % ringSize) * cols;
  };

  // Pass 2 (columns) walks rows, one running sum per column; each finished output row goes
  // straight into pass 3 (rows), which keeps only the 64 decimation columns.
  const sums = new Float32Array(cols);
  // Pass 2 output rows are handed to pass 3 four at a time.
  const pass2Rows = new Float32Array(4 * cols);
  const pass3 = new Float32Array(rows * 64);
  const flushPass3 = (lastRow: number) => {
    const first = lastRow - (lastRow % 4);
    if (lastRow - first === 3) {
      boxRowsAtTargets4(
        pass2Rows,
        0,
        cols,
        2 * cols,
        3 * cols,
        cols,
        alongRows,
        colTargets,
        pass3,
        first * 64,
        (first + 1) * 64,
        (first + 2) * 64,
        (first + 3) * 64,
      );
    } else {
      for (let row = first; row <= lastRow; row++) {
        boxRowAtTargets(pass2Rows.subarray((row % 4) * cols), cols, alongRows, colTargets, pass3, row * 64);
      }
    }
  };
  let count = 0;
  for (let row = 0; row < alongCols.lead; row++) {
    const offset = computePass1Row(row);
    for (let j = 0; j < cols; j++) sums[j] = sums[j]! + ring[offset + j]!;
    count++;
  }
  for (let o = 0; o < rows; o++) {
    const entering = o + alongCols.lead;
    const leaving = o - alongCols.lag;
    const outRow = (o % 4) * cols;
    // One sweep per output row: add the entering row, then subtract the leaving one (each rounded
    // to float32, as the reference's two statements are), then divide.
    if (entering < rows && leaving >= 0) {
      const add = computePass1Row(entering);
      const sub = (leaving % ringSize) * cols;
      for (let j = 0; j < cols; j++) {
        const sum = Math.fround(sums[j]! + ring[add + j]!) - ring[sub + j]!;
        sums[j] = sum;
        pass2Rows[outRow + j] = Math.fround(sum) / count;
      }
    } else if (entering < rows) {
      const add = computePass1Row(entering);
      count++;
      for (let j = 0; j < cols; j++) {
        const sum = sums[j]! + ring[add + j]!;
        sums[j] = sum;
        pass2Rows[outRow + j] = Math.fround(sum) / count;
      }
    } else {
      const sub = (leaving % ringSize) * cols;
      count--;
      for (let j = 0; j < cols; j++) {
        const sum = sums[j]! - ring[sub + j]!;
        sums[j] = sum;
        pass2Rows[outRow + j] = Math.fround(sum) / count;
      }
    }
    if (o % 4 === 3 || o === rows - 1) flushPass3(o);
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
