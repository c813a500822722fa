// The hoster page's charts (Observable Plot, SVG): the survival curve with the 12 h and 24 h lines,
// the time-to-removal histogram and the trend per month. Each is a figure with a caption and the
// same numbers in a table that screen readers read (the SVG itself is hidden from them).
import * as Plot from '@observablehq/plot';
import type { HistogramBin, RemovalDistribution, TrendMonth } from './hoster-types.ts';
import {
  binLabel,
  countTicks,
  removalTimeText,
  shareText,
  survivalRows,
  type TrendPart,
  trendParts,
  trendStack,
} from './hoster-view.ts';
import { PlotChart } from './plot-chart.tsx';

/** Calm, distinct on the dark panel, none of them the tier badges' alarm colours. */
const colours = {
  line: '#8ab4f8',
  law12h: '#d7c49e',
  norm24h: '#b9a6d9',
  text: '#c9ced6',
  grid: '#3a4250',
} as const;

const partColours: Record<TrendPart, string> = {
  'removed within 24 h': '#7fb7a4',
  'removed later': '#8ab4f8',
  moved: '#9aa3ae',
  'still online': '#d7c49e',
};

const frame = { width: 640, height: 260, marginLeft: 52, marginBottom: 40, marginTop: 24 } as const;
const style = { background: 'transparent', color: colours.text, fontSize: '12px' };

/** A chart's numbers as a table for screen readers (hidden from sight: the chart draws them). */
function ChartTable(props: {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}) {
  return (
    <table class="visually-hidden">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row[0]}>
            {row.map((cell, index) => (
              <td key={index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const survivalTicks = [0, 1, 2, 4, 6, 12, 24, 48, 72, 168];

export function SurvivalChart(props: { distribution: RemovalDistribution }) {
  const rows = survivalRows(props.distribution);
  const { distribution } = props;
  if (rows.length === 0) return <p class="muted">No notice in the period: no curve to draw.</p>;
  return (
    <figure class="chart" aria-labelledby="survival-caption">
      <PlotChart
        testId="survival-chart"
        data={rows}
        draw={() =>
          Plot.plot({
            ...frame,
            style,
            ariaLabel: null,
            x: { type: 'sqrt', domain: [0, 168], ticks: survivalTicks, label: 'hours after the notice →' },
            y: { domain: [0, 100], grid: true, label: '↑ not removed (% of notices)' },
            marks: [
              Plot.ruleX([12], {
                stroke: colours.law12h,
                strokeWidth: 2,
                strokeDasharray: '5,3',
                className: 'rule-12h',
              }),
              Plot.ruleX([24], {
                stroke: colours.norm24h,
                strokeWidth: 2,
                strokeDasharray: '2,3',
                className: 'rule-24h',
              }),
              Plot.text([12], {
                x: (hours: number) => hours,
                frameAnchor: 'top',
                dy: -14,
                dx: 4,
                textAnchor: 'start',
                text: () => '12 h (law)',
                fill: colours.law12h,
                className: 'mark-12h',
              }),
              Plot.text([24], {
                x: (hours: number) => hours,
                frameAnchor: 'top',
                dy: -2,
                dx: 4,
                textAnchor: 'start',
                text: () => '24 h (norm)',
                fill: colours.norm24h,
                className: 'mark-24h',
              }),
              Plot.line(rows, { x: 'hours', y: 'percent', stroke: colours.line, strokeWidth: 2 }),
              Plot.dot(rows, { x: 'hours', y: 'percent', fill: colours.line, r: 3 }),
            ],
          })
        }
      />
      <figcaption id="survival-caption">
        Survival curve: the share of the period’s {distribution.notices} notices not yet removed, read at each
        hour mark (moved and still online count as not removed). At the 12 h line (the law since 2024){' '}
        {shareText(distribution.notRemovedAt12hShare)} were not removed; at the 24 h line (the norm){' '}
        {shareText(distribution.notRemovedAt24hShare)}.
      </figcaption>
      <ChartTable
        caption="Not removed after each time"
        columns={['Hours after the notice', 'Not removed']}
        rows={rows.map((row) => [`${row.hours} h`, `${row.percent} %`])}
      />
    </figure>
  );
}

const binColour = (bin: HistogramBin) =>
  bin.toMs !== null && bin.toMs <= 12 * 3_600_000
    ? partColours['removed within 24 h']
    : bin.toMs !== null && bin.toMs <= 24 * 3_600_000
      ? colours.norm24h
      : colours.law12h;

export function RemovalHistogram(props: { distribution: RemovalDistribution }) {
  const { distribution } = props;
  const bars = [
    ...distribution.bins.map((bin) => ({
      label: binLabel(bin),
      removed: bin.removed,
      colour: binColour(bin),
    })),
    { label: 'not removed', removed: distribution.notRemoved, colour: '#6b7380' },
  ];
  return (
    <figure class="chart" aria-labelledby="histogram-caption">
      <PlotChart
        testId="histogram-chart"
        data={bars}
        draw={() =>
          Plot.plot({
            ...frame,
            style,
            ariaLabel: null,
            x: {
              type: 'band',
              domain: bars.map((bar) => bar.label),
              label: 'time to removal',
              tickRotate: -25,
            },
            y: {
              grid: true,
              label: '↑ notices',
              tickFormat: 'd',
              ticks: countTicks(Math.max(...bars.map((bar) => bar.removed))),
            },
            marginBottom: 56,
            marks: [
              Plot.barY(bars, { x: 'label', y: 'removed', fill: 'colour', inset: 2 }),
              Plot.ruleY([0], { stroke: colours.grid }),
            ],
          })
        }
      />
      <figcaption id="histogram-caption">
        Time to removal of the period’s notices: bars up to 12 h in green, 12–24 h in lilac, later in sand;
        the last grey bar is the {distribution.notRemoved} notices not removed (online or moved), which every
        share counts.
      </figcaption>
      <ChartTable
        caption="Removals per time to removal"
        columns={['Time to removal', 'Notices']}
        rows={bars.map((bar) => [bar.label, String(bar.removed)])}
      />
    </figure>
  );
}

export function TrendChart(props: { trend: readonly TrendMonth[] }) {
  const stack = trendStack(props.trend);
  return (
    <figure class="chart chart-trend" aria-labelledby="trend-caption">
      <PlotChart
        testId="trend-chart"
        data={stack}
        draw={() =>
          Plot.plot({
            ...frame,
            style,
            ariaLabel: null,
            x: { type: 'band', label: 'month (UTC)', domain: props.trend.map((month) => month.month) },
            y: {
              grid: true,
              label: '↑ notices',
              tickFormat: 'd',
              ticks: countTicks(Math.max(0, ...props.trend.map((month) => month.notices))),
            },
            color: { domain: [...trendParts], range: trendParts.map((part) => partColours[part]) },
            marks: [
              Plot.barY(stack, { x: 'month', y: 'count', fill: 'part', order: [...trendParts], inset: 2 }),
              Plot.ruleY([0], { stroke: colours.grid }),
            ],
          })
        }
      />
      <ul class="chart-legend" aria-hidden="true">
        {trendParts.map((part) => (
          <li key={part}>
            <span class={`swatch swatch-${part.replaceAll(' ', '-')}`} /> {part}
          </li>
        ))}
      </ul>
      <figcaption id="trend-caption">
        Trend per month: the notices first sent in each month, by what became of them as of the figures’ time.
      </figcaption>
      <table class="data trend-table">
        <caption class="visually-hidden">Figures per month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Notices</th>
            <th scope="col">Removed</th>
            <th scope="col">Moved</th>
            <th scope="col">Still online</th>
            <th scope="col">Within 12 h</th>
            <th scope="col">Within 24 h</th>
            <th scope="col">Median</th>
            <th scope="col">P90</th>
            <th scope="col">Recidivism</th>
          </tr>
        </thead>
        <tbody>
          {props.trend.map((month) => (
            <tr
              key={month.month}
              data-testid="trend-row"
              data-month={month.month}
              data-notices={month.notices}
            >
              <td>{month.month}</td>
              <td>{month.notices}</td>
              <td>{month.removed}</td>
              <td>{month.moved}</td>
              <td>{month.stillOnline}</td>
              <td>{shareText(month.removedWithin12hShare)}</td>
              <td>{shareText(month.removedWithin24hShare)}</td>
              <td>{removalTimeText(month.medianTimeToRemovalMs, month.notices)}</td>
              <td>{removalTimeText(month.p90TimeToRemovalMs, month.notices)}</td>
              <td>{month.recidivism}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
