// Saves a Blob the API answered (a CSV, an evidence export) as a file: the request carried the
// bearer token, which a bare link could not, so the page fetches and hands the browser the bytes.

export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the bytes once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
