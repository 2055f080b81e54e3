export { formatYuan } from '@huoyue/shared';

/** 12,345 — points and counts as Chinese readers expect them. */
export const formatNumber = (n: number): string => n.toLocaleString('en-US');

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the member's local date, "2026-12-02". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 10);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** An instant as "12-02 19:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "19:00-22:00" for a window on one day; "全天" for a whole day (midnight to midnight); "24:00" for an end at midnight. */
export function formatWindow(startsAt: string, endsAt: string): string {
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const startsAtMidnight = s.getHours() === 0 && s.getMinutes() === 0;
  const endsAtMidnight = e.getHours() === 0 && e.getMinutes() === 0 && e.getTime() > s.getTime();
  if (startsAtMidnight && endsAtMidnight && e.getTime() - s.getTime() >= 86_400_000 - 3_600_000)
    return '全天';
  const end = endsAtMidnight ? '24:00' : `${pad(e.getHours())}:${pad(e.getMinutes())}`;
  return `${pad(s.getHours())}:${pad(s.getMinutes())}-${end}`;
}

/** "1234 5678 9012" — easier to read aloud at the till. */
export const formatCardNo = (cardNo: string | null): string =>
  cardNo ? cardNo.replace(/(\d{4})(?=\d)/g, '$1 ') : '未开卡';

/** The footer of a paged list. */
export function loadMoreLabel(list: { loading: boolean; hasMore: boolean }): string {
  if (list.loading) return '加载中…';
  return list.hasMore ? '加载更多' : '没有更多了';
}
