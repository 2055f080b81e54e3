/**
 * The module-idiom check (part of `npm run lint`, beside the module boundaries): module files hold no SQL dialect
 * branches (those live in server/src/infra/database/dialect.ts), and a service method holds a transaction one way,
 * a `Tx` (server/src/infra/events/unit-of-work.ts) for writes and an optional `Tx` for reads. Reported, in files
 * under server/src/modules:
 * - `dialect`: a database name ('mysql', 'sqlite', 'better-sqlite3', 'mariadb') as a string, or `options.type`;
 * - `entity-manager`: a method of a class, other than a private one, with a parameter typed `EntityManager`;
 * - `uow`: such a method taking the `UnitOfWork` itself, or a `run` closure (a function handed `(tx: Tx) => …`).
 * Debt not yet paid is written down, per file and kind with its count, in server/module-idioms.allow.json.
 */
import { join, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { listFiles, ownerOf } from './module-boundaries.js';

export type IdiomKind = 'dialect' | 'entity-manager' | 'uow';

export interface IdiomViolation {
  /** Path under server/src, with forward slashes. */
  file: string;
  line: number;
  kind: IdiomKind;
  /** What was found: the literal, or `Class.method(param)`. */
  what: string;
}

export interface IdiomDebt {
  file: string;
  kind: IdiomKind;
  count: number;
  reason: string;
}

const DIALECT_NAMES = new Set(['mysql', 'sqlite', 'better-sqlite3', 'mariadb']);

function typeNames(node: ts.Node | undefined): string[] {
  if (!node) return [];
  const names: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isTypeReferenceNode(n)) names.push(n.typeName.getText());
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

/** A parameter's type that is a function handed a function of a `Tx`: `run: (work: (tx: Tx) => …) => …`. */
function isRunClosure(type: ts.TypeNode | undefined): boolean {
  if (!type || !ts.isFunctionTypeNode(type)) return false;
  return type.parameters.some(
    (p) =>
      p.type !== undefined &&
      ts.isFunctionTypeNode(p.type) &&
      p.type.parameters.some((q) => typeNames(q.type).includes('Tx')),
  );
}

function paramViolation(param: ts.ParameterDeclaration): IdiomKind | null {
  const names = typeNames(param.type);
  if (names.includes('EntityManager')) return 'entity-manager';
  if (names.includes('UnitOfWork') || isRunClosure(param.type)) return 'uow';
  return null;
}

function isPrivate(node: ts.MethodDeclaration): boolean {
  if (ts.isPrivateIdentifier(node.name)) return true;
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
}

/** The violations of one source text (`file` as reported). */
export function checkIdiomsOf(file: string, text: string): IdiomViolation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: IdiomViolation[] = [];
  const report = (node: ts.Node, kind: IdiomKind, what: string) =>
    found.push({
      file,
      line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      kind,
      what,
    });
  const visit = (node: ts.Node) => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      DIALECT_NAMES.has(node.text) &&
      !ts.isImportDeclaration(node.parent)
    )
      report(node, 'dialect', `'${node.text}'`);
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'type' &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'options'
    )
      report(node, 'dialect', node.getText());
    if (ts.isMethodDeclaration(node) && !isPrivate(node)) {
      const owner = ts.isClassLike(node.parent) ? (node.parent.name?.text ?? 'class') : 'object';
      for (const param of node.parameters) {
        const kind = paramViolation(param);
        if (kind) report(param, kind, `${owner}.${node.name.getText()}(${param.name.getText()})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every violation in the module files under `serverSrc`. */
export function checkIdioms(serverSrc: string): IdiomViolation[] {
  return listFiles(join(serverSrc, 'modules'))
    .filter((path) => ownerOf(serverSrc, path).startsWith('modules/'))
    .flatMap((path) =>
      checkIdiomsOf(relative(serverSrc, path).split('\\').join('/'), readFileSync(path, 'utf8')),
    );
}

/**
 * Held against the written debt: a file and kind with more violations than its entry allows (or none) fails, and
 * so does an entry whose count is higher than what is left (the list is lowered as debt is paid).
 */
export function compareWithDebt(
  violations: IdiomViolation[],
  debt: IdiomDebt[],
): { breaches: IdiomViolation[]; stale: { entry: IdiomDebt; found: number }[] } {
  const key = (file: string, kind: IdiomKind) => `${file}\u0000${kind}`;
  const groups = new Map<string, IdiomViolation[]>();
  for (const v of violations) {
    const k = key(v.file, v.kind);
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  const allowed = new Map(debt.map((d) => [key(d.file, d.kind), d]));
  const breaches = [...groups.entries()].flatMap(([k, vs]) =>
    vs.length > (allowed.get(k)?.count ?? 0) ? vs : [],
  );
  const stale = debt
    .map((entry) => ({ entry, found: groups.get(key(entry.file, entry.kind))?.length ?? 0 }))
    .filter(({ entry, found }) => found < entry.count);
  return { breaches, stale };
}

const WHY: Record<IdiomKind, string> = {
  dialect: 'branches on the SQL dialect (ask infra/database/dialect.ts for the piece)',
  'entity-manager': 'takes an EntityManager (take a Tx, or an optional Tx for a read)',
  uow: 'takes a UnitOfWork or a run closure (take a Tx)',
};

export function formatIdiomViolation(v: IdiomViolation): string {
  return `server/src/${v.file}:${v.line}: ${v.what} ${WHY[v.kind]}`;
}
