import { Global, Injectable, Module } from '@nestjs/common';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';

/**
 * One part of a member's data export, contributed by the module that owns its tables: the tables it covers and
 * how to read one member's rows (by default every row of those tables whose `memberId` is the member's).
 */
export interface PersonalDataSection {
  /** Key in the export, e.g. `checkins`. */
  key: string;
  /** What the member reads, in Chinese: 签到记录. */
  title: string;
  /** The entities whose rows belong to the member (their tables are what the coverage test checks). */
  entities: EntityTarget<ObjectLiteral>[];
  /** Reads the member's rows; left out, each entity's rows with `memberId` = the member, oldest first. */
  read?: (memberId: number) => Promise<ObjectLiteral[]>;
  /** What closing the membership does to these rows, for the docs and the answer to DELETE /api/me. */
  onClose: string;
}

export interface ExportedSection {
  key: string;
  title: string;
  tables: string[];
  onClose: string;
  rows: Record<string, unknown>[];
}

/** Rows as JSON: instants as ISO text. */
function plain(row: ObjectLiteral): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
}

/**
 * The list of every table that holds a member's data (PIPL): each module contributes its tables with how they are
 * exported and what closing does to them, or marks a table with a member column as not personal, with the reason.
 * `GET /api/me/export` is the sum of the sections; a test fails when an entity with a member column is in neither
 * list (docs/security-privacy.md).
 */
@Injectable()
export class PersonalDataRegistry {
  private readonly sections: PersonalDataSection[] = [];
  private readonly notPersonal = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  contribute(section: PersonalDataSection): void {
    if (this.sections.some((s) => s.key === section.key))
      throw new Error(`personal data section ${section.key} contributed twice`);
    this.sections.push(section);
  }

  /** A table with a member column that holds nothing personal beyond what another section exports. */
  markNotPersonal(entity: EntityTarget<ObjectLiteral>, reason: string): void {
    this.notPersonal.set(this.tableOf(entity), reason);
  }

  /** Which tables are exported (table → section key) and which are not personal (table → reason). */
  coverage(): { exported: Map<string, string>; notPersonal: Map<string, string> } {
    const exported = new Map<string, string>();
    for (const s of this.sections) for (const e of s.entities) exported.set(this.tableOf(e), s.key);
    return { exported, notPersonal: new Map(this.notPersonal) };
  }

  /** What closing keeps and erases, section by section (the answer to DELETE /api/me and the docs). */
  closingPolicy(): { key: string; title: string; onClose: string }[] {
    return this.sections.map((s) => ({ key: s.key, title: s.title, onClose: s.onClose }));
  }

  async exportAll(memberId: number): Promise<ExportedSection[]> {
    const out: ExportedSection[] = [];
    for (const s of this.sections) {
      const rows = s.read ? await s.read(memberId) : await this.rowsOf(s.entities, memberId);
      out.push({
        key: s.key,
        title: s.title,
        tables: s.entities.map((e) => this.tableOf(e)),
        onClose: s.onClose,
        rows: rows.map(plain),
      });
    }
    return out;
  }

  private async rowsOf(
    entities: EntityTarget<ObjectLiteral>[],
    memberId: number,
  ): Promise<ObjectLiteral[]> {
    const rows: ObjectLiteral[] = [];
    for (const entity of entities) {
      const meta = this.dataSource.getMetadata(entity);
      const order =
        meta.primaryColumns.length === 1 ? { [meta.primaryColumns[0]!.propertyName]: 'ASC' } : {};
      const found = await this.dataSource
        .getRepository(entity)
        .find({ where: { memberId }, order: order as never });
      // One table per section is the rule; with several, each row says where it came from.
      rows.push(
        ...(entities.length > 1 ? found.map((r) => ({ table: meta.tableName, ...r })) : found),
      );
    }
    return rows;
  }

  private tableOf(entity: EntityTarget<ObjectLiteral>): string {
    return this.dataSource.getMetadata(entity).tableName;
  }
}

@Global()
@Module({ providers: [PersonalDataRegistry], exports: [PersonalDataRegistry] })
export class PersonalDataModule {}
