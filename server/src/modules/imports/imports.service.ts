import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { parse } from 'csv-parse';
import { DataSource, In, LessThan } from 'typeorm';
import type { z } from 'zod';
import type { importView } from '@huoyue/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import type { StaffPrincipal } from '../../infra/auth/token.service.js';
import { isUniqueViolation } from '../../infra/database/errors.js';
import { type Tx, UnitOfWork } from '../../infra/events/unit-of-work.js';
import { DomainError } from '../../infra/http/domain-error.js';
import { MembersService } from '../members/index.js';
import { TierService } from '../members/index.js';
import { OrdersService } from '../orders/index.js';
import { PointsService } from '../points/index.js';
import { AuditService } from '../staff/index.js';
import { ImportBatch, type ImportKind, ImportJob, ImportRejection } from './import-job.entity.js';
import { checkMemberRow, checkOrderRow, isHeader, type OrderRow, type Row } from './import-rows.js';
import { importTooLarge } from './csv-body.js';
import { removeOrphanFiles } from './import-files.js';
import { InFlightBatches } from './in-flight-batches.js';

type ImportView = z.output<typeof importView>;

/**
 * Rows per transaction: large enough for multi-row statements to pay off, small enough to keep locks short
 * (measured: docs/benchmarks.md).
 */
const ORDER_BATCH = 5000;
/** Batches written at the same time (measured: docs/benchmarks.md). */
const IN_FLIGHT = 2;
const MEMBER_BATCH = 200;
/** Rejected rows kept per import for staff to read; the count is always exact. */
const KEEP_REJECTIONS = 10_000;
/** A running job whose heartbeat is older than this was abandoned (its process died): another run resumes it. */
const STALE_MS = 2 * 60_000;
/** Member references remembered per import (about 100 bytes each). */
const KNOWN_REFS = 500_000;

interface BatchResult {
  imported: number;
  skipped: number;
  rejected: { row: Row; reason: string }[];
  resolved?: Map<string, number>;
}

/** Imports one batch of rows in the batch's transaction (`known`: member references resolved by earlier batches). */
type BatchHandler = (tx: Tx, rows: Row[], known: Map<string, number>) => Promise<BatchResult>;

/**
 * CSV imports of order history and of members with opening balances, for brands leaving an old CRM or POS. The
 * upload is saved to disk and processed in the background in batches; each batch, its rejections and the job's
 * progress commit together, so a crash loses nothing and a restart resumes after the last batch. Order numbers
 * and member references make a second import of the same file change nothing.
 */
@Injectable()
export class ImportsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private readonly owner = randomUUID();
  private readonly running = new Map<number, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly members: MembersService,
    private readonly tiers: TierService,
    private readonly orders: OrdersService,
    private readonly points: PointsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Saves the uploaded stream, queues the job and starts it; answers at once with the job. */
  async accept(
    kind: ImportKind,
    body: Readable,
    creditPoints: boolean,
    actor: StaffPrincipal,
  ): Promise<ImportView> {
    const dir = this.config.imports.dir;
    mkdirSync(dir, { recursive: true });
    const filePath = join(dir, `${kind}-${randomUUID()}.csv`);
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(body, createWriteStream(filePath));
    } catch (err) {
      await rm(filePath, { force: true });
      if (err instanceof DomainError) throw err; // over IMPORT_MAX_BYTES: 413
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw importTooLarge(this.config.imports.maxBytes);
      throw new DomainError('BAD_REQUEST', '文件上传中断，请重试');
    }
    if (bytes === 0) {
      await rm(filePath, { force: true });
      throw new DomainError('VALIDATION_FAILED', '上传的文件是空的');
    }
    const job = await this.uow.run(async (tx) => {
      const row = tx.em.create(ImportJob, {
        kind,
        status: 'queued',
        creditPoints,
        filePath,
        fileBytes: String(bytes),
        createdBy: actor.staffId,
        owner: null,
        heartbeatAt: null,
        error: null,
        finishedAt: null,
      });
      await tx.em.insert(ImportJob, row);
      await this.audit.record(tx, actor, {
        action: `import.${kind}`,
        entityType: 'import',
        entityId: row.id,
        after: { bytes, creditPoints },
      });
      return row;
    });
    this.start(job.id);
    return this.view(job.id);
  }

  async view(id: number): Promise<ImportView> {
    const job = await this.dataSource.getRepository(ImportJob).findOneBy({ id });
    if (!job) throw new DomainError('NOT_FOUND', '导入任务不存在');
    const rejections = await this.dataSource
      .getRepository(ImportRejection)
      .find({ where: { importId: id }, order: { rowNo: 'ASC' }, take: 100 });
    return {
      id: job.id,
      kind: job.kind,
      status: job.status,
      creditPoints: job.creditPoints,
      rowsRead: job.rowsDone,
      rowsImported: job.rowsImported,
      rowsSkipped: job.rowsSkipped,
      rowsRejected: job.rowsRejected,
      rejections: rejections.map((r) => ({ row: r.rowNo, reason: r.reason, line: r.line })),
      error: job.error,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }

  /** At start: uploads left behind by jobs that ended while their process died are removed. */
  async onApplicationBootstrap(): Promise<void> {
    await this.removeOrphans();
  }

  /** Files in DATA_DIR/imports that no queued or running job needs (older than a few minutes) are removed. */
  async removeOrphans(): Promise<number> {
    const live = await this.dataSource
      .getRepository(ImportJob)
      .find({ select: { filePath: true }, where: { status: In(['queued', 'running']) } });
    const removed = await removeOrphanFiles(
      this.config.imports.dir,
      live.map((j) => j.filePath),
    );
    if (removed > 0) this.logger.log(`removed ${removed} import file(s) no job needs`);
    return removed;
  }

  /**
   * Picks up queued jobs and jobs whose process died (stale heartbeat), and removes upload files no job needs.
   * Registered as a scheduled job.
   */
  async resumeAbandoned(now = new Date()): Promise<number> {
    await this.removeOrphans();
    const repo = this.dataSource.getRepository(ImportJob);
    const candidates = [
      ...(await repo.find({ where: { status: 'queued' }, take: 10 })),
      ...(await repo.find({
        where: { status: 'running', heartbeatAt: LessThan(new Date(now.getTime() - STALE_MS)) },
        take: 10,
      })),
    ];
    for (const job of candidates) this.start(job.id);
    return candidates.length;
  }

  /** Resolves when the job is no longer being processed by this instance (tests and benchmarks wait on it). */
  async settled(id: number): Promise<void> {
    await this.running.get(id);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private start(id: number): void {
    if (this.running.has(id) || this.stopping) return;
    const run = this.process(id)
      .catch((err) => this.logger.error({ err, importId: id }, 'import failed'))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  private async process(id: number): Promise<void> {
    const repo = this.dataSource.getRepository(ImportJob);
    const now = new Date();
    const claimed = await repo
      .createQueryBuilder()
      .update()
      .set({ status: 'running', owner: this.owner, heartbeatAt: now })
      .where(
        "id = :id AND (status = 'queued' OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < :stale)))",
        { id, stale: new Date(now.getTime() - STALE_MS) },
      )
      .execute();
    if ((claimed.affected ?? 0) !== 1) return;
    const job = (await repo.findOneBy({ id }))!;
    try {
      if (job.kind === 'orders')
        await this.run(job, ORDER_BATCH, (tx, rows, known) =>
          this.orderBatch(tx, job, rows, known),
        );
      else await this.run(job, MEMBER_BATCH, (tx, rows) => this.memberBatch(tx, job, rows));
      if (this.stopping) return; // resumed by the next start
      const done = await repo.update(
        { id, owner: this.owner },
        { status: 'done', finishedAt: new Date(), heartbeatAt: new Date() },
      );
      // Only while the job is still ours: another instance that took it over may be reading the file.
      if ((done.affected ?? 0) === 1) await rm(job.filePath, { force: true });
    } catch (err) {
      // Failed for good (bad file, database refused): the upload is not kept. A crash never reaches here: its job
      // resumes from the file, and files no job needs are removed at the next start (removeOrphanFiles).
      const failed = await repo.update(
        { id, owner: this.owner },
        {
          status: 'failed',
          finishedAt: new Date(),
          error: String((err as Error).message).slice(0, 480),
        },
      );
      if ((failed.affected ?? 0) === 1) await rm(job.filePath, { force: true });
      throw err;
    }
  }

  /** Streams the file through the CSV parser, skipping rows already committed, one transaction per batch. */
  private async run(job: ImportJob, batchSize: number, handle: BatchHandler): Promise<void> {
    // Member references resolved by committed batches (customers recur across a history file); bounded.
    const known = new Map<string, number>();
    const parser = createReadStream(job.filePath).pipe(
      parse({
        bom: true,
        trim: true,
        skip_empty_lines: true,
        relax_column_count: true,
        relax_quotes: true,
        raw: true,
        // One row may not grow past this: a stray, unterminated quote fails here instead of buffering the file.
        max_record_size: this.config.imports.maxRecordBytes,
      }),
    );
    const alreadyDone = await this.committedRows(job);
    const commit = (rows: Row[]) => () => this.commitBatch(job, rows, handle, known);
    // Batches go to the database while the next is parsed: up to IN_FLIGHT at once, each in its own transaction
    // (own connection on MySQL; SQLite runs them one after the other).
    const inFlight = new InFlightBatches(IN_FLIGHT);
    let no = 0;
    let batch: Row[] = [];
    let unreadable: Error | null = null;
    try {
      for await (const record of parser as AsyncIterable<{ record: string[]; raw: string }>) {
        if (this.stopping || inFlight.failed) break;
        if (no === 0 && isHeader(record.record)) continue;
        no++;
        if (alreadyDone(no)) continue;
        batch.push({ no, fields: record.record, raw: record.raw.replace(/\r?\n$/, '') });
        if (batch.length >= batchSize) {
          await inFlight.waitForRoom();
          inFlight.launch(commit(batch));
          batch = [];
        }
      }
    } catch (err) {
      unreadable = this.parseFailure(err);
    }
    if (batch.length > 0 && !this.stopping && !inFlight.failed && !unreadable)
      inFlight.launch(commit(batch));
    // Batches already sent commit before the job is marked failed.
    await inFlight.finish();
    if (unreadable) throw unreadable;
  }

  /**
   * What staff read when the file itself cannot be read on: which line (records read so far + 1, counting the
   * header as line 1) and the likely cause. Batches that committed stay; importing the fixed file again skips them.
   */
  private parseFailure(err: unknown): Error {
    const { code, records } = err as { code?: string; records?: number };
    const line = typeof records === 'number' ? `文件第 ${records + 1} 行` : '文件中有一行';
    if (code === 'CSV_MAX_RECORD_SIZE') {
      const kb = Math.round(this.config.imports.maxRecordBytes / 1024);
      return new Error(
        `${line}超过单行上限 ${kb} KB，通常是有未闭合的引号；请修正后重新导入（已导入的行不会重复）`,
      );
    }
    const reason = String((err as Error).message).slice(0, 200);
    return new Error(`${line}无法解析（${reason}），请检查文件格式后重新导入`);
  }

  /** Whether a row belongs to a batch that committed before a restart (possibly out of order): not read again. */
  private async committedRows(job: ImportJob): Promise<(row: number) => boolean> {
    const committed = (
      await this.dataSource
        .getRepository(ImportBatch)
        .find({ where: { importId: job.id }, order: { firstRow: 'ASC' } })
    ).map((b) => [b.firstRow, b.lastRow] as const);
    // Rows are asked about in increasing order, so one pass over the sorted ranges answers them all.
    let nextRange = 0;
    return (row: number) => {
      while (nextRange < committed.length && committed[nextRange]![1] < row) nextRange++;
      return nextRange < committed.length && committed[nextRange]![0] <= row;
    };
  }

  /** One batch in one transaction with its rejections and the job's progress; run again when it lost a race. */
  private async commitBatch(
    job: ImportJob,
    rows: Row[],
    handle: BatchHandler,
    known: Map<string, number>,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const resolved = await this.uow.run(async (tx) => {
          const result = await handle(tx, rows, known);
          await this.recordProgress(tx, job, rows, result);
          job.rowsRejected += result.rejected.length;
          return result.resolved;
        });
        // Only after commit: ids of members created by a rolled-back batch must not be remembered.
        if (resolved)
          for (const [ref, id] of resolved) if (known.size < KNOWN_REFS) known.set(ref, id);
        return;
      } catch (err) {
        // A new offline member raced another writer (or the other batch in flight) for a phone or card number:
        // the batch simply runs again.
        if (attempt < 3 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** Writes a batch's kept rejections, its `import_batch` row and the job's counters, in the batch's transaction. */
  private async recordProgress(
    tx: Tx,
    job: ImportJob,
    rows: Row[],
    result: BatchResult,
  ): Promise<void> {
    const kept = Math.max(0, Math.min(result.rejected.length, KEEP_REJECTIONS - job.rowsRejected));
    if (kept > 0) {
      await tx.em.insert(
        ImportRejection,
        result.rejected.slice(0, kept).map((r) => ({
          importId: job.id,
          rowNo: r.row.no,
          reason: r.reason.slice(0, 200),
          line: r.row.raw.slice(0, 500),
        })),
      );
    }
    await tx.em.insert(ImportBatch, {
      importId: job.id,
      firstRow: rows[0]!.no,
      lastRow: rows[rows.length - 1]!.no,
    });
    const progressed = await tx.em.update(
      ImportJob,
      { id: job.id, owner: this.owner },
      {
        rowsDone: () => `rows_done + ${rows.length}`,
        rowsImported: () => `rows_imported + ${result.imported}`,
        rowsSkipped: () => `rows_skipped + ${result.skipped}`,
        rowsRejected: () => `rows_rejected + ${result.rejected.length}`,
        heartbeatAt: new Date(),
      },
    );
    // Another instance took the job over (this one looked dead): stop without committing twice.
    if ((progressed.affected ?? 0) !== 1) throw new Error('import taken over by another instance');
  }

  private async orderBatch(
    tx: Tx,
    job: ImportJob,
    rows: Row[],
    known: Map<string, number>,
  ): Promise<BatchResult> {
    const rejected: { row: Row; reason: string }[] = [];
    const valid: ({ row: Row } & OrderRow)[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const checked = checkOrderRow(row.fields, this.config.brandTimezone);
      if (!checked.ok) rejected.push({ row, reason: checked.reason });
      else if (seen.has(checked.value.order.orderNo))
        rejected.push({ row, reason: `订单号 ${checked.value.order.orderNo} 在文件中重复` });
      else {
        seen.add(checked.value.order.orderNo);
        valid.push({ row, ...checked.value });
      }
    }
    if (valid.length === 0) return { imported: 0, skipped: 0, rejected };
    const unknown = valid.filter((v) => !known.has(v.ref));
    const ids = unknown.length
      ? await this.members.resolveOrCreateOffline(
          tx,
          unknown.map((v) => v.ref),
          new Date(Math.min(...unknown.map((v) => v.order.paidAt.getTime()))),
        )
      : new Map<string, number>();
    const result = await this.orders.importBatch(
      tx,
      valid.map((v) => ({ ...v.order, memberId: known.get(v.ref) ?? ids.get(v.ref)! })),
      job.id,
      job.creditPoints,
    );
    return { ...result, rejected, resolved: ids };
  }

  private async memberBatch(tx: Tx, _job: ImportJob, rows: Row[]): Promise<BatchResult> {
    const rejected: { row: Row; reason: string }[] = [];
    let imported = 0;
    const ladder = new Set((await this.tiers.ladder()).map((t) => t.code));
    const now = new Date();
    for (const row of rows) {
      const checked = checkMemberRow(row.fields, ladder, this.config.brandTimezone);
      if (!checked.ok) {
        rejected.push({ row, reason: checked.reason });
        continue;
      }
      const m = checked.value;
      const profiles = new Map([
        [m.ref, { nickname: m.nickname, birthday: m.birthday, phone: m.phone }],
      ]);
      const id = (await this.members.resolveOrCreateOffline(tx, [m.ref], now, profiles)).get(
        m.ref,
      )!;
      // Applying a row twice changes nothing: the tier is set, the opening balance is keyed by the reference.
      if (m.tierCode) await this.tiers.importTier(tx, id, m.tierCode, now);
      if (m.points > 0) {
        await this.points.credit(tx, {
          memberId: id,
          type: 'import',
          points: m.points,
          key: `import:member:${m.ref}`,
          sourceType: 'import',
          sourceRef: m.ref,
          reason: '旧系统积分迁入',
          expiresAt: m.expiresAt,
          at: now,
        });
      }
      imported++;
    }
    return { imported, skipped: 0, rejected };
  }
}
