import { Injectable } from '@nestjs/common';
import { listUrl } from '../common/web/list-url.js';
import type { FreeSlot } from '../waitlist/waitlist.service.js';
import { WaitlistService } from '../waitlist/waitlist.service.js';
import type { DaySheetView, WaitingLink } from './day-sheet.view.js';

/** Enough for a full sheet's free time and cancellations; beyond it the sheet stays quick and says less. */
const MAX_SLOTS = 40;

/**
 * Marks the sheet's free time and cancelled sessions yet to start with the waiting patients who could take them
 * (`3 waiting`), linking to the page that books one in one click. One look-up per slot, through the waitlist's
 * own matching, so the sheet, the page and the API agree.
 */
@Injectable()
export class DaySheetWaiting {
  constructor(private readonly waitlist: WaitlistService) {}

  async mark(view: DaySheetView): Promise<void> {
    if (!(await this.waitlist.anyWaitingOn(view.date))) return;
    const marked: { slot: FreeSlot; mark: (link: WaitingLink) => void }[] = [];
    for (const column of view.columns) {
      for (const block of column.blocks) {
        if (block.slot) marked.push({ slot: block.slot, mark: (link) => (block.waiting = link) });
      }
      for (const segment of column.segments) {
        const gap = segment.gap;
        if (gap?.slot) marked.push({ slot: gap.slot, mark: (link) => (gap.waiting = link) });
      }
    }
    for (const { slot, mark } of marked.slice(0, MAX_SLOTS)) {
      const count = (await this.waitlist.matches(slot)).length;
      if (count > 0) mark({ label: `${count} waiting`, url: matchesUrl(slot) });
    }
  }
}

const matchesUrl = ({ therapistId, start, end }: FreeSlot): string =>
  listUrl('/waitlist/matches', {
    therapist_id: therapistId,
    start: start.toISOString(),
    end: end.toISOString(),
  });
