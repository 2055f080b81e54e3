/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would run as a formula
 * (=, +, -, @ first) is made text with a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
