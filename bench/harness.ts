/** What every benchmark reports: named figures with a unit and, where an issue set one, a target. */
export type Figure = {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  /** Target from the issue: value must be ≤ this (≥ with `atLeast`). */
  target?: number;
  atLeast?: boolean;
  note?: string;
};

export type Benchmark = { name: string; run: () => Promise<Figure[]> };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function formatTable(figures: Figure[]): string {
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.metric,
    `${round(figure.value)} ${figure.unit}`,
    figure.target === undefined ? '' : `${figure.atLeast ? '≥' : '≤'} ${figure.target} ${figure.unit}`,
    figure.target === undefined ? '' : met(figure) ? 'ok' : 'MISSED',
    figure.note ?? '',
  ]);
  const header = ['benchmark', 'metric', 'value', 'target', '', 'note'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const met = (figure: Figure) =>
  figure.target === undefined ||
  (figure.atLeast ? figure.value >= figure.target : figure.value <= figure.target);

const round = (value: number) => (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10);
