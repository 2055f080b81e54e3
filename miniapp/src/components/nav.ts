import Taro from '@tarojs/taro';

const TABS = new Set(['/pages/home/index', '/pages/mall/index', '/pages/mine/index']);

/** Opens a page by its path (with query); tab pages are switched to, the rest pushed. */
export function go(url: string): void {
  const path = url.split('?')[0]!;
  if (TABS.has(path)) void Taro.switchTab({ url: path });
  else void Taro.navigateTo({ url });
}
