import { csvCell } from '@huoyue/shared';

/** Downloads rows as a CSV file (UTF-8 with a BOM, so spreadsheet software shows Chinese). */
export function downloadCsv(name: string, header: string[], rows: unknown[][]): void {
  const body = [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
  const url = URL.createObjectURL(new Blob(['\ufeff', body], { type: 'text/csv;charset=utf-8' }));
  Object.assign(document.createElement('a'), { href: url, download: name }).click();
  URL.revokeObjectURL(url);
}
