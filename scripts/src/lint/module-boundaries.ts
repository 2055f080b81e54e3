/**
 * The module-boundary check (part of `npm run lint`): each table belongs to the module whose entity declares it,
 * and a module reaches another module only through that module's public file.
 *
 * Owners are the folders `server/src/modules/<name>` and `server/src/infra` (the platform); everything else in
 * server/src (server.ts, main.ts, app.module.ts, demo/, web/, config/, fake-wechat/) is the composition root,
 * `app`, which owns no table. Reported:
 * - SQL in a string or template naming another owner's table after FROM, JOIN, INTO, UPDATE or TABLE, or a table
 *   name passed to one of the SQL helpers (bulkInsert, upsertSelect, updateFrom, …) or to a query builder;
 * - a value import of another owner's entity class (types are fine: they read no table);
 * - an import of another module's internals (anything but its `index.ts` or a `*.module.ts` beside it);
 * - `infra/` importing a module (the platform knows no domain).
 * Exceptions are written down with a reason in server/module-boundaries.allow.json.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type Access = 'read' | 'write';

export interface Violation {
  file: string;
  line: number;
  owner: string;
  kind: 'sql' | 'entity' | 'internal-import' | 'infra-imports-module';
  /** The other owner's table (sql, entity) or the imported path (imports). */
  target: string;
  /** For an internal import: the tables its file declares (an import of entities the owner may use is fine). */
  tables?: string[];
  access?: Access;
}

export interface AllowEntry {
  module: string;
  table: string;
  access: Access;
  reason: string;
}

interface SourceFile {
  path: string;
  owner: string;
  source: ts.SourceFile;
}

const SQL_REFERENCE = /\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+[`"]?([a-z_][a-z0-9_]*)[`"]?/gi;
/** Helpers in infra/database and query-builder methods whose string arguments are table names. */
const TABLE_ARGUMENT_CALLS = new Set([
  'bulkInsert',
  'upsertSelect',
  'updateFrom',
  'truncateTable',
  'insertIgnore',
  'getRepository',
  'from',
  'into',
  'update',
  'delete',
  'insert',
]);

export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'migrations' ? [] : listFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `modules/points`, `infra` (the platform, one owner) or `app` for a file under server/src. */
export function ownerOf(srcRoot: string, file: string): string {
  const parts = relative(srcRoot, file).split(sep);
  if (parts[0] === 'modules' && parts.length > 2) return `modules/${parts[1]}`;
  if (parts[0] === 'infra') return 'infra';
  return 'app';
}

const shortOwner = (owner: string) => owner.replace(/^modules\//, '');

function entityTable(node: ts.ClassDeclaration): string | null {
  for (const decorator of ts.getDecorators(node) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    if (call.expression.text !== 'Entity') continue;
    const [arg] = call.arguments;
    if (arg && ts.isStringLiteral(arg)) return arg.text;
    if (arg && ts.isObjectLiteralExpression(arg)) {
      for (const p of arg.properties) {
        if (
          ts.isPropertyAssignment(p) &&
          p.name.getText() === 'name' &&
          ts.isStringLiteral(p.initializer)
        ) {
          return p.initializer.text;
        }
      }
    }
  }
  return null;
}

function lineOf(file: SourceFile, node: ts.Node): number {
  return file.source.getLineAndCharacterOfPosition(node.getStart(file.source)).line + 1;
}

function sqlAccess(keyword: string, text: string, index: number): Access {
  const word = keyword.toUpperCase();
  if (word === 'INTO' || word === 'UPDATE' || word === 'TABLE') return 'write';
  // DELETE FROM x writes; SELECT … FROM x reads.
  return /DELETE\s+$/i.test(text.slice(Math.max(0, index - 10), index)) ? 'write' : 'read';
}

function textsOf(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  }
  return [];
}

function calleeName(call: ts.CallExpression): string | null {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

export function checkBoundaries(serverSrc: string): {
  violations: Violation[];
  tables: Map<string, string>;
} {
  const srcRoot = resolve(serverSrc);
  const files: SourceFile[] = listFiles(srcRoot).map((path) => ({
    path,
    owner: ownerOf(srcRoot, path),
    source: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true),
  }));

  const tables = new Map<string, string>();
  const entityNames = new Map<string, { owner: string; table: string }>();
  for (const file of files) {
    file.source.forEachChild((node) => {
      if (ts.isClassDeclaration(node) && node.name) {
        const table = entityTable(node);
        if (table) {
          tables.set(table, file.owner);
          entityNames.set(node.name.text, { owner: file.owner, table });
        }
      }
    });
  }

  const violations: Violation[] = [];
  for (const file of files) checkFile(srcRoot, file, { tables, entityNames }, violations);
  return { violations, tables };
}

interface Catalogue {
  tables: Map<string, string>;
  entityNames: Map<string, { owner: string; table: string }>;
}

function checkFile(
  srcRoot: string,
  file: SourceFile,
  catalogue: Catalogue,
  out: Violation[],
): void {
  const { tables } = catalogue;
  const report = (node: ts.Node, v: Omit<Violation, 'file' | 'line' | 'owner'>) =>
    out.push({
      file: relative(srcRoot, file.path),
      line: lineOf(file, node),
      owner: file.owner,
      ...v,
    });

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      checkImport(srcRoot, file, node, catalogue, report);
      return;
    }
    for (const text of textsOf(node)) {
      for (const m of text.matchAll(SQL_REFERENCE)) {
        const table = m[2]!.toLowerCase();
        const owner = tables.get(table);
        if (owner && owner !== file.owner) {
          report(node, { kind: 'sql', target: table, access: sqlAccess(m[1]!, text, m.index) });
        }
      }
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      if (name && TABLE_ARGUMENT_CALLS.has(name)) {
        for (const arg of node.arguments) {
          if (!ts.isStringLiteral(arg)) continue;
          const owner = tables.get(arg.text);
          if (owner && owner !== file.owner) {
            const access = ['from', 'getRepository'].includes(name) ? 'read' : 'write';
            report(arg, { kind: 'sql', target: arg.text, access });
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file.source, visit);
}

function checkImport(
  srcRoot: string,
  file: SourceFile,
  node: ts.ImportDeclaration | ts.ExportDeclaration,
  { entityNames }: Catalogue,
  report: (node: ts.Node, v: Omit<Violation, 'file' | 'line' | 'owner'>) => void,
): void {
  const spec = node.moduleSpecifier;
  if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return;
  const target = resolve(dirname(file.path), spec.text.replace(/\.js$/, '.ts'));
  if (!target.startsWith(srcRoot + sep)) return;
  const targetOwner = ownerOf(srcRoot, target);
  if (targetOwner === file.owner) return;
  const path = relative(srcRoot, target);

  if (file.owner === 'infra' && targetOwner.startsWith('modules/')) {
    report(spec, { kind: 'infra-imports-module', target: path });
    return;
  }
  if (targetOwner.startsWith('modules/')) {
    const base = path.split(sep).slice(2).join('/');
    if (base !== 'index.ts' && !/^[^/]+\.module\.ts$/.test(base)) {
      report(spec, {
        kind: 'internal-import',
        target: path,
        tables: importedTables(node, entityNames),
      });
    }
  }
  // A value import of another owner's entity class is a way into its table.
  const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly : node.isTypeOnly;
  if (typeOnly || !ts.isImportDeclaration(node)) return;
  const bindings = node.importClause?.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return;
  for (const el of bindings.elements) {
    if (el.isTypeOnly) continue;
    const entity = entityNames.get((el.propertyName ?? el.name).text);
    if (entity && entity.owner !== file.owner) {
      report(el, { kind: 'entity', target: entity.table, access: 'write' });
    }
  }
}

/** The tables of the entities an import names, when it names nothing but entities (else none). */
function importedTables(
  node: ts.ImportDeclaration | ts.ExportDeclaration,
  entityNames: Catalogue['entityNames'],
): string[] {
  if (!ts.isImportDeclaration(node)) return [];
  const bindings = node.importClause?.namedBindings;
  if (node.importClause?.name || !bindings || !ts.isNamedImports(bindings)) return [];
  const tables = bindings.elements.map(
    (el) => entityNames.get((el.propertyName ?? el.name).text)?.table,
  );
  return tables.every((t) => t !== undefined) ? (tables as string[]) : [];
}

/**
 * Violations not covered by an allowlist entry: SQL and entity use of a table need an entry for that table (a
 * write needs a write entry; a write entry covers reads); an import of another module's entity file is covered
 * when every table in it is allowed for writing.
 */
export function unallowed(
  violations: Violation[],
  tables: Map<string, string>,
  allow: AllowEntry[],
): Violation[] {
  const allowed = (owner: string, table: string, access: Access | undefined) =>
    allow.some(
      (a) =>
        a.module === shortOwner(owner) &&
        a.table === table &&
        tables.has(a.table) &&
        (a.access === 'write' || access === 'read'),
    );
  return violations.filter((v) => {
    if (v.kind === 'sql' || v.kind === 'entity') return !allowed(v.owner, v.target, v.access);
    if (v.kind === 'internal-import' && v.tables && v.tables.length > 0) {
      return !v.tables.every((t) => allowed(v.owner, t, 'write'));
    }
    return true;
  });
}

export function formatViolation(v: Violation): string {
  const where = `server/src/${v.file.split(sep).join('/')}:${v.line}`;
  switch (v.kind) {
    case 'sql':
      return `${where}: ${shortOwner(v.owner)} ${v.access === 'write' ? 'writes' : 'reads'} table \`${v.target}\``;
    case 'entity':
      return `${where}: ${shortOwner(v.owner)} uses the entity of another module's table \`${v.target}\``;
    case 'internal-import':
      return `${where}: imports ${v.target}, not the module's public file (index.ts or its *.module.ts)`;
    case 'infra-imports-module':
      return `${where}: infra imports a module (${v.target})`;
  }
}
