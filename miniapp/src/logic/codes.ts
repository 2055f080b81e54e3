import qrcode from 'qrcode-generator';
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128/index.js';

/**
 * The card code and coupon codes as pictures the clerk can scan, drawn as SVG so one <Image> shows them on
 * WeChat and in the browser alike (no canvas, no DOM). Encoders come from qrcode-generator and jsbarcode.
 */
export function qrSvg(text: string, margin = 2): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const size = n + margin * 2;
  let path = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) path += `M${c + margin} ${r + margin}h1v1h-1z`;
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

/** Code 128 bars for `text` as '1' (bar) and '0' (space), quiet zones not included. */
export function code128Bars(text: string): string {
  const encoder = new CODE128(text, {});
  if (!encoder.valid()) throw new Error(`cannot encode ${text} as Code 128`);
  return encoder.encode().data;
}

export function barcodeSvg(text: string, height = 40, quiet = 10): string {
  const bars = code128Bars(text);
  const width = bars.length + quiet * 2;
  let path = '';
  for (let i = 0; i < bars.length;) {
    if (bars[i] !== '1') {
      i++;
      continue;
    }
    let run = 1;
    while (bars[i + run] === '1') run++;
    path += `M${i + quiet} 0h${run}v${height}h-${run}z`;
    i += run;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${width}" height="${height}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of an ASCII string: the mini-program has neither btoa nor Buffer, and our SVG is plain ASCII. */
export function asciiBase64(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i);
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) : NaN;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) : NaN;
    if (a > 127 || b > 127 || c > 127) throw new Error('asciiBase64: not ASCII');
    const n = (a << 16) | ((Number.isNaN(b) ? 0 : b) << 8) | (Number.isNaN(c) ? 0 : c);
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += Number.isNaN(b) ? '=' : ALPHABET[(n >> 6) & 63]!;
    out += Number.isNaN(c) ? '=' : ALPHABET[n & 63]!;
  }
  return out;
}

export const svgDataUrl = (svg: string): string => `data:image/svg+xml;base64,${asciiBase64(svg)}`;
