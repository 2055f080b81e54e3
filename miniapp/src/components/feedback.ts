import Taro from '@tarojs/taro';
import { friendlyError } from '../services/session';

/** The one way a failure reaches the member: a short toast in plain words. */
export function showError(err: unknown): void {
  void Taro.showToast({ title: friendlyError(err), icon: 'none', duration: 2500 });
}

export function showSuccess(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: 1500 });
}
