import { useDidShow, useRouter } from '@tarojs/taro';
import { reportLanding } from '../api/landing';

/**
 * What every top-level page does when it comes into view: count a message landing (?hy_m=…) once, and refresh
 * what it shows when the member comes back to it (after redeeming, the balance has changed).
 */
export function usePageShow(refresh?: { data: unknown; reload: () => Promise<void> }): void {
  const router = useRouter();
  useDidShow(() => {
    void reportLanding(router.params);
    if (refresh?.data !== undefined) void refresh.reload();
  });
}
