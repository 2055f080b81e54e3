/**
 * Imported first by the member app (H5 and WeChat), before zod loads: zod compiles object schemas with
 * `new Function` where it may, and probes whether it may when a schema is made, which the server's
 * Content-Security-Policy (no 'unsafe-eval') reports as a violation and WeChat forbids. The app validates forms and
 * answers of a few fields: the interpreter is fast enough. zod reads its settings from this global when it loads;
 * the console sets it in its index.html (a bundle may run its chunks before the entry's first import). The server
 * keeps the compiled path.
 */
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
(holder.__zod_globalConfig ??= {}).jitless = true;

export {};
