import { Injectable } from '@nestjs/common';
import { ClinicClock } from '../common/time/clinic-time.js';
import { resolveDateRange } from '../common/time/date-range.js';
import { filtersOf } from './audit.mapper.js';
import { AuditService } from './audit.service.js';
import { AuditRepository, type AuditFilter, type AuditRow } from './audit.repository.js';
import type { ListAuditEventsQuery } from './dto/audit-event.dto.js';

export interface AuditPage {
  events: AuditRow[];
  /** The cursor of the next (older) page, or null when this one is the last. */
  nextCursor: string | null;
}

/** An export reads this many events per query: constant memory, each batch one index range scan. */
const EXPORT_BATCH = 1000;

/** Reading the audit trail: the admin's filtered pages, the CSV export, a patient's accounting of disclosures. */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly events: AuditRepository,
    private readonly audit: AuditService,
    private readonly clock: ClinicClock,
  ) {}

  async list(query: ListAuditEventsQuery): Promise<AuditPage> {
    // One more than the page shows tells whether an older page exists, without a count.
    const rows = await this.events.find(this.filterOf(query), query.page_size + 1);
    const events = rows.slice(0, query.page_size);
    const last = events.at(-1);
    return { events, nextCursor: rows.length > query.page_size && last ? last.id : null };
  }

  /** Every matching event, newest first, a batch at a time; the export itself is traced first. */
  async *export(query: ListAuditEventsQuery): AsyncGenerator<AuditRow> {
    const filter = this.filterOf(query);
    await this.audit.record({ action: 'audit.export', detail: filtersOf(query) });
    for (;;) {
      const rows = await this.events.find(filter, EXPORT_BATCH);
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < EXPORT_BATCH || !last) return;
      filter.before = Number(last.id);
    }
  }

  /** Who accessed or changed a patient's record, newest first: the accounting a patient may ask for. */
  forPatient(patientId: number, limit: number): Promise<AuditRow[]> {
    return this.events.find({ patientId }, limit);
  }

  private filterOf(query: ListAuditEventsQuery): AuditFilter {
    const range = resolveDateRange(query.from, query.to, this.clock.timeZone);
    return {
      userId: query.user_id,
      patientId: query.patient_id,
      action: query.action,
      outcome: query.outcome,
      from: range.from,
      to: range.to,
      before: query.cursor,
    };
  }
}
