import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fallsOn,
  isoWeekday,
  nextDays,
  windowOf,
} from '@huoyue/server/dist/modules/memberdays/schedule.js';

describe('member day schedules', () => {
  it('monthly day 31 falls on the last day of shorter months, across year ends and leap years', () => {
    const monthly = { kind: 'monthly' as const, day: 31 };
    assert.deepEqual(nextDays(monthly, '2026-12-01', 6), [
      '2026-12-31',
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
    assert.equal(fallsOn(monthly, '2028-02-29'), true);
    assert.equal(fallsOn(monthly, '2028-02-28'), false);
    assert.deepEqual(nextDays({ kind: 'monthly', day: 15 }, '2026-12-16', 2), [
      '2027-01-15',
      '2027-02-15',
    ]);
  });

  it('weekly by ISO weekday, and listed dates', () => {
    assert.equal(isoWeekday('2026-12-01'), 2); // a Tuesday
    assert.equal(isoWeekday('2026-12-06'), 7); // a Sunday
    assert.deepEqual(nextDays({ kind: 'weekly', weekday: 3 }, '2026-12-01', 3), [
      '2026-12-02',
      '2026-12-09',
      '2026-12-16',
    ]);
    assert.deepEqual(
      nextDays({ kind: 'dates', dates: ['2027-01-01', '2026-12-25'] }, '2026-12-01', 5),
      ['2026-12-25', '2027-01-01'],
    );
  });

  it('windows are brand-local wall times, correct across daylight saving', () => {
    assert.deepEqual(windowOf('2026-12-09', '10:00', '22:00', 'Asia/Shanghai'), {
      startsAt: new Date('2026-12-09T02:00:00Z'),
      endsAt: new Date('2026-12-09T14:00:00Z'),
    });
    // New York: EST (UTC−5) on 7 March 2027 … EDT (UTC−4) from 14 March 2027, 02:00.
    assert.equal(
      windowOf('2027-03-07', '10:00', '12:00', 'America/New_York').startsAt.toISOString(),
      '2027-03-07T15:00:00.000Z',
    );
    assert.equal(
      windowOf('2027-03-14', '10:00', '12:00', 'America/New_York').startsAt.toISOString(),
      '2027-03-14T14:00:00.000Z',
    );
    assert.equal(
      windowOf('2027-03-14', '01:00', '03:30', 'America/New_York').endsAt.toISOString(),
      '2027-03-14T07:30:00.000Z',
    );
    // 24:00 is the next day's midnight.
    assert.equal(
      windowOf('2026-12-31', '20:00', '24:00', 'Asia/Shanghai').endsAt.toISOString(),
      '2026-12-31T16:00:00.000Z',
    );
  });
});
