import { routes } from '@huoyue/shared';
import { call } from '../api';
import { useLoad } from './Loadable';

/** Tier names by code, so a page never shows a tier's code ("gold") where staff expect its name (金卡会员). */
export function useTierNames(): (codes: readonly string[]) => string {
  const ladder = useLoad(() => call(routes.points.listTiers));
  return (codes) => {
    const names = new Map(ladder.data?.items.map((t) => [t.code, t.name]));
    return codes.map((c) => names.get(c) ?? '…').join('、');
  };
}
