// Small bundles as partners send them: one report with three small synthetic images, as multipart
// and as a ZIP package. Every bundle has a fresh reference and report id, and every image is made
// unique (a PNG text chunk), so each request is a new bundle of files the store does not hold.
import { crc32 } from 'node:zlib';
import { syntheticImage } from '@triage/testkit';
import yazl from 'yazl';

export type SmallFormat = 'multipart' | 'zip';

/** One request ready to send: the body is built before timing starts. */
export interface SmallRequest {
  readonly body: Buffer;
  readonly contentType: string;
  /** The media as stored (for the storage baseline). */
  readonly files: readonly Buffer[];
}

const imagesPerBundle = 3;
const boundary = '----triage-bench-boundary-5e2a';

/** A pool of small synthetic PNGs (shapes and noise, a few KB each). */
export async function imagePool(count: number): Promise<Buffer[]> {
  const images: Buffer[] = [];
  for (let seed = 1; seed <= count; seed++) images.push(await syntheticImage(9_000 + seed, 48, 36));
  return images;
}

/** The PNG with a tEXt chunk before IEND: still a valid PNG, now with bytes of its own. */
function uniquePng(png: Buffer, text: string): Buffer {
  const iend = png.length - 12;
  const typeAndData = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0${text}`, 'latin1')]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(typeAndData.length - 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([png.subarray(0, iend), length, typeAndData, crc, png.subarray(iend)]);
}

function manifestOf(bundleRef: string, reportId: string, names: readonly string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      bundleRef,
      reports: [
        {
          reportId,
          incidentType: 'Online Enticement of Children for Sexual Acts',
          incidentDateTime: '2026-11-20T21:14:00Z',
          reporter: { companyName: 'Example Social', espService: 'Photos' },
          personsReported: [{ screenName: 'bench-user', emails: ['bench-user@example.com'] }],
          internetDetails: [{ type: 'webPage', urls: ['https://host.example/page'] }],
          files: names.map((name, index) => ({ fileId: `f-${index + 1}`, name, fileRelevance: 'Reported' })),
        },
      ],
    }),
  );
}

function multipartBody(manifest: Buffer, media: readonly { name: string; data: Buffer }[]): Buffer {
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="manifest"; filename="bundle.json"\r\nContent-Type: application/json\r\n\r\n`,
    ),
    manifest,
    Buffer.from('\r\n'),
  ];
  for (const { name, data } of media) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

async function zipBody(manifest: Buffer, media: readonly { name: string; data: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2026, 10, 28));
  // Deflated, as a zip tool does by default (PNGs barely shrink).
  zip.addBuffer(manifest, 'bundle.json', { mtime });
  for (const { name, data } of media) zip.addBuffer(data, name, { mtime });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `count` small bundles in `format`, references `<tag>-<n>`, images drawn from `pool`. */
export async function smallRequests(
  format: SmallFormat,
  tag: string,
  count: number,
  pool: readonly Buffer[],
): Promise<SmallRequest[]> {
  const requests: SmallRequest[] = [];
  for (let n = 0; n < count; n++) {
    const bundleRef = `${tag}-${n}`;
    const media = Array.from({ length: imagesPerBundle }, (_, index) => ({
      name: `media/${bundleRef}/image-${index + 1}.png`,
      data: uniquePng(pool[(n * imagesPerBundle + index) % pool.length]!, `${bundleRef}/${index}`),
    }));
    const manifest = manifestOf(
      bundleRef,
      `${tag}-r${n}`,
      media.map((file) => file.name),
    );
    const files = media.map((file) => file.data);
    requests.push(
      format === 'multipart'
        ? {
            body: multipartBody(manifest, media),
            contentType: `multipart/form-data; boundary=${boundary}`,
            files,
          }
        : { body: await zipBody(manifest, media), contentType: 'application/zip', files },
    );
  }
  return requests;
}

export const filesPerBundle = imagesPerBundle;
