// `pnpm console:build`: bundles the console (src/main.tsx and src/styles.css) with
// esbuild into dist/assets under content-hashed names, then writes dist/index.html, the one HTML
// shell triage-api answers for every console route. No inline script or style (the CSP forbids
// them), no third-party URL. Prints each file's size, raw and gzipped (the ADR's measurement).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const assets = path.join(dist, 'assets');

await rm(dist, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const result = await build({
  entryPoints: { main: path.join(root, 'src/main.tsx'), styles: path.join(root, 'src/styles.css') },
  outdir: assets,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  // The hoster page's charts (Observable Plot) load as their own chunk: only the pages that draw them pay for it.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox121', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(file));
const script = Object.entries(result.metafile.outputs)
  .filter(([, output]) => output.entryPoint?.endsWith('src/main.tsx'))
  .map(([file]) => path.resolve(file))[0];
const chunks = outputs.filter((file) => file.endsWith('.js') && file !== script);
const stylesheet = outputs.find((file) => file.endsWith('.css'));
if (script === undefined || stylesheet === undefined)
  throw new Error('esbuild wrote no script or stylesheet');

// The icon gets a hashed name like the bundle, so it can be cached for good too.
const icon = await readFile(path.join(root, 'src/icon.svg'));
const iconName = `icon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
await writeFile(path.join(assets, iconName), icon);

const href = (file: string) => `/assets/${path.basename(file)}`;
const shell = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>triage console</title>
<link rel="icon" href="/assets/${iconName}" type="image/svg+xml">
<link rel="stylesheet" href="${href(stylesheet)}">
<script type="module" src="${href(script)}"></script>
</head>
<body>
<div id="app"><noscript>The triage console needs JavaScript.</noscript></div>
</body>
</html>
`;
await writeFile(path.join(dist, 'index.html'), shell);

let total = 0;
for (const file of [
  script,
  ...chunks,
  stylesheet,
  path.join(assets, iconName),
  path.join(dist, 'index.html'),
]) {
  const bytes = await readFile(file);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log(
    `${path.relative(root, file).padEnd(36)} ${String(bytes.length).padStart(8)} B  ${String(gzipped).padStart(7)} B gzip`,
  );
}
console.log(
  `console bundle: ${total} B gzipped in all, written to ${path.relative(process.cwd(), dist) || '.'}`,
);
