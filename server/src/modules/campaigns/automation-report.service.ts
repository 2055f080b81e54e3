import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { automationReport } from '@huoyue/shared';
import type { z } from 'zod';
import { notFound } from '../../infra/http/domain-error.js';
import { Automation } from './campaign.entities.js';
import { MessagingService } from '../messaging/index.js';
import { sampleCheck, uplift } from './control-group.js';

type Report = z.output<typeof automationReport>;

/** An automation's report: qualified, sent, failed, opened and converted per group, and the uplift between them. */
@Injectable()
export class AutomationReports {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  async report(id: number): Promise<Report> {
    const automation = await this.dataSource.getRepository(Automation).findOneBy({ id });
    if (!automation) throw notFound('自动化');
    const groups = (await this.dataSource.query(
      `SELECT grp, COUNT(*) AS n, SUM(CASE WHEN converted_at IS NOT NULL THEN 1 ELSE 0 END) AS converted
       FROM automation_enrollment WHERE automation_id = ? GROUP BY grp`,
      [id],
    )) as { grp: 'treatment' | 'control'; n: number; converted: number | null }[];
    const messages = await this.messaging.outcomesOfAutomation(id);
    const errors = (await this.dataSource.query(
      `SELECT error, COUNT(*) AS n FROM automation_enrollment
       WHERE automation_id = ? AND error IS NOT NULL GROUP BY error`,
      [id],
    )) as { error: string; n: number }[];
    const group = (grp: 'treatment' | 'control') => {
      const row = groups.find((g) => g.grp === grp);
      const n = Number(row?.n ?? 0);
      const converted = Number(row?.converted ?? 0);
      const failed: Record<string, number> = {};
      let sent = 0;
      let opened = 0;
      if (grp === 'treatment') {
        for (const m of messages) {
          if (m.status === 'sent') sent += Number(m.n);
          else if (m.status === 'failed' || m.status === 'suppressed')
            failed[m.reason ?? m.status] = (failed[m.reason ?? m.status] ?? 0) + Number(m.n);
          opened += Number(m.opened ?? 0);
        }
      }
      return {
        qualified: n,
        sent,
        failed,
        opened,
        converted,
        conversionRate: n > 0 ? converted / n : 0,
      };
    };
    const treatment = group('treatment');
    const control = group('control');
    const t = { n: treatment.qualified, converted: treatment.converted };
    const c = { n: control.qualified, converted: control.converted };
    const sample = sampleCheck(t, c);
    return {
      automationId: id,
      conversion: automation.conversion,
      treatment,
      control,
      pending: messages
        .filter((m) => m.status === 'queued' || m.status === 'sending')
        .reduce((sum, m) => sum + Number(m.n), 0),
      actionErrors: Object.fromEntries(errors.map((e) => [e.error, Number(e.n)])),
      sample,
      uplift: sample.sufficient ? uplift(t, c) : null,
    };
  }
}
