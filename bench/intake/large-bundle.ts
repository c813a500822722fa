// One large bundle (~1 GiB of generated media plus a few synthetic images), made while it is sent
// so the client never holds a file: as multipart, and as a ZIP package (which intake spools).
import { Readable } from 'node:stream';
import { type GeneratedFile, generatedMultipartUpload, seededBytes } from '@triage/intake/testing';
import yazl from 'yazl';

export interface LargePlan {
  readonly files: readonly GeneratedFile[];
  readonly images: readonly { name: string; data: Buffer }[];
}

export interface LargeUpload {
  /** Request body bytes. */
  readonly bodyBytes: number;
  readonly mediaBytes: number;
  readonly seconds: number;
}

export function largePlan(fileCount: number, fileBytes: number, images: readonly Buffer[]): LargePlan {
  return {
    files: Array.from({ length: fileCount }, (_, index) => ({
      name: `media/large/video-${index + 1}.bin`,
      size: fileBytes,
      seed: 5_000 + index,
    })),
    images: images.map((data, index) => ({ name: `media/large/image-${index + 1}.png`, data })),
  };
}

function manifestOf(bundleRef: string, plan: LargePlan): object {
  const names = [...plan.files.map((file) => file.name), ...plan.images.map((image) => image.name)];
  return {
    bundleRef,
    reports: [
      {
        reportId: `${bundleRef}-r1`,
        incidentType: 'Online Enticement of Children for Sexual Acts',
        incidentDateTime: '2026-11-20T21:14:00Z',
        reporter: { companyName: 'Example Social', espService: 'Video' },
        files: names.map((name, index) => ({ fileId: `f-${index + 1}`, name })),
      },
    ],
  };
}

async function post(
  url: string,
  key: string | undefined,
  contentType: string,
  body: ReadableStream<Uint8Array>,
): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body,
    // Node's fetch streams a request body only in half-duplex mode.
    duplex: 'half',
  } as RequestInit);
  const text = await response.text();
  if (response.status !== 202) throw new Error(`large upload: ${response.status} ${text.slice(0, 500)}`);
  return (performance.now() - started) / 1000;
}

/** The bundle as one multipart request: manifest, then the generated files, then the images. */
export async function sendLargeMultipart(
  url: string,
  key: string | undefined,
  bundleRef: string,
  plan: LargePlan,
): Promise<LargeUpload> {
  const upload = generatedMultipartUpload({
    manifest: manifestOf(bundleRef, plan),
    files: plan.files,
    extraFiles: plan.images,
  });
  const seconds = await post(url, key, upload.contentType, upload.body);
  return { bodyBytes: upload.totalBytes, mediaBytes: upload.mediaBytes, seconds };
}

/** The bundle as a ZIP package streamed by yazl (media stored, as already-compressed media are). */
export async function sendLargeZip(
  url: string,
  key: string | undefined,
  bundleRef: string,
  plan: LargePlan,
): Promise<LargeUpload> {
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2026, 10, 28));
  zip.addBuffer(Buffer.from(JSON.stringify(manifestOf(bundleRef, plan))), 'bundle.json', { mtime });
  for (const file of plan.files) {
    zip.addReadStream(Readable.from(seededBytes(file.seed + 1_000, file.size)), file.name, {
      mtime,
      compress: false,
      size: file.size,
    });
  }
  for (const image of plan.images) zip.addBuffer(image.data, image.name, { mtime, compress: false });
  zip.end();
  let bodyBytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of zip.outputStream) {
      bodyBytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const seconds = await post(url, key, 'application/zip', ReadableStream.from(counted()));
  const mediaBytes =
    plan.files.reduce((sum, file) => sum + file.size, 0) +
    plan.images.reduce((sum, image) => sum + image.data.length, 0);
  return { bodyBytes, mediaBytes, seconds };
}
