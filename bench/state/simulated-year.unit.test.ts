import { describe, expect, it } from 'vitest';
import {
  filesPerReportMix,
  ncmecYear,
  reportCountOf,
  reportsPerDay,
  simulatedYear,
} from './simulated-year.ts';

describe('simulated NCMEC year', () => {
  it("has the year's files per report: the mix's shares sum to one and its mean is 106M / 36M", () => {
    const shares = filesPerReportMix.reduce((total, { share }) => total + share, 0);
    const mean = filesPerReportMix.reduce((total, { files, share }) => total + files * share, 0);
    expect(shares).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(ncmecYear.files / ncmecYear.reports, 2);
  });

  it("plans a day's reports at the year's rate, with its files, repeats and images", () => {
    const reports = [...simulatedYear({ days: 0.05 })];
    const files = reports.flatMap((report) => report.files);
    expect(reports).toHaveLength(reportCountOf(0.05));
    expect(reports.length).toBe(Math.round(0.05 * reportsPerDay));
    expect(files.length / reports.length).toBeGreaterThan(2.7);
    expect(files.length / reports.length).toBeLessThan(3.2);
    const repeats = files.filter((file) => file.repeat).length / files.length;
    expect(repeats).toBeGreaterThan(0.45);
    expect(repeats).toBeLessThan(0.55);
    expect(files.filter((file) => file.image).length / files.length).toBeCloseTo(0.8, 1);
    // A repeat is a file planned before; a new one is not.
    const seen = new Set<string>();
    for (const file of files) {
      expect(seen.has(file.sha256)).toBe(file.repeat);
      seen.add(file.sha256);
    }
  });

  it('never puts one file twice in a report, and is the same for the same seed', () => {
    const first = [...simulatedYear({ days: 0.02, seed: 7 })];
    for (const report of first) {
      expect(new Set(report.files.map((file) => file.sha256)).size).toBe(report.files.length);
    }
    expect([...simulatedYear({ days: 0.02, seed: 7 })]).toEqual(first);
    expect([...simulatedYear({ days: 0.02, seed: 8 })]).not.toEqual(first);
  });

  it('spreads the reports over the days they cover, in arrival order', () => {
    const start = Date.UTC(2026, 0, 1);
    const reports = [...simulatedYear({ days: 0.01, start })];
    const last = reports.at(-1)!;
    expect(reports[0]!.receivedAt).toBe(start);
    expect(last.receivedAt).toBeLessThan(start + 0.01 * 86_400_000);
    expect(last.receivedAt).toBeGreaterThan(start + 0.009 * 86_400_000);
  });
});
