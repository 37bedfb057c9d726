/** Prints the figures as one table (then their notes) and writes them to `bench/results/latest.json`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Figure, Target } from './figure.js';

const SYMBOL: Record<Target['op'], string> = { '<=': '≤', '<': '<', '>=': '≥' };

function num(value: number, unit: string): string {
  if (unit === '') return value.toFixed(3);
  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 0 : size >= 10 ? 1 : 2);
}

function valueOf(f: Figure): string {
  if (!f.summary) return 'not measured';
  const { median, n } = f.summary;
  const [lo, hi] = f.spread === 'p10-p90' ? [f.summary.p10, f.summary.p90] : [f.summary.min, f.summary.max];
  const unit = f.unit ? ` ${f.unit}` : '';
  return `${num(median, f.unit)}${unit} (${f.spread === 'p10-p90' ? 'p10–p90' : 'min–max'} ${num(lo, f.unit)}–${num(hi, f.unit)}, n=${n})`;
}

function targetOf(f: Figure): string {
  return f.target ? `${SYMBOL[f.target.op]} ${num(f.target.value, f.unit)}${f.unit ? ` ${f.unit}` : ''}` : '—';
}

function verdictOf(f: Figure): string {
  if (!f.summary) return 'not measured';
  if (f.met === undefined) return '—';
  return f.met ? 'met' : 'NOT MET';
}

export function printTable(figures: readonly Figure[]): void {
  const rows = [['figure', 'value: median (spread, samples)', 'target', 'result'], ...figures.map((f) => [f.name, valueOf(f), targetOf(f), verdictOf(f)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows.slice(1)) console.log(line(row));
  const notes = figures.filter((f) => f.note || f.error);
  if (notes.length > 0) console.log('\nNotes:');
  for (const f of notes) console.log(`- ${f.name}: ${[f.error ? `not measured: ${f.error}` : '', f.note ?? ''].filter(Boolean).join('; ')}`);
}

export function writeResults(path: string, figures: readonly Figure[], meta: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ schemaVersion: 1, ...meta, figures }, null, 2)}\n`);
}
