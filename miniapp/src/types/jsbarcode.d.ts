// jsbarcode ships no types for its encoders; we use only the Code 128 encoder (bars as '1'/'0').
declare module 'jsbarcode/bin/barcodes/CODE128/index.js' {
  export class CODE128 {
    constructor(data: string, options: Record<string, unknown>);
    valid(): boolean;
    encode(): { text: string; data: string };
  }
}
