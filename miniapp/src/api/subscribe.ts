import Taro from '@tarojs/taro';
import { routes } from '@huoyue/shared';
import {
  MOMENT_PROMPTS,
  parseSubscribeTemplates,
  subscribeResults,
  type SubscribeMoment,
} from '../logic/subscribe';
import { api } from './client';

declare const HUOYUE_SUBSCRIBE_TEMPLATES: string;
const templates = parseSubscribeTemplates(HUOYUE_SUBSCRIBE_TEMPLATES);

/**
 * Asks for subscribe-message consent at a natural moment and reports the answer (each accept is one message
 * the server may send). WeChat only shows its dialog after a tap, so callers run this from a tap handler.
 * The browser build has no such dialog: a modal stands in for it.
 */
export async function askToSubscribe(moment: SubscribeMoment): Promise<boolean> {
  const tmplIds = templates[moment];
  if (tmplIds.length === 0) return false;
  let answer: Record<string, unknown>;
  try {
    if (process.env.TARO_ENV === 'weapp') {
      // Taro's typing also asks for Alipay's entityIds; WeChat takes the template ids alone.
      answer = (await Taro.requestSubscribeMessage({
        tmplIds,
      } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>;
    } else {
      const { confirm } = await Taro.showModal({
        ...MOMENT_PROMPTS[moment],
        confirmText: '好的',
        cancelText: '不用了',
      });
      answer = Object.fromEntries(tmplIds.map((id) => [id, confirm ? 'accept' : 'reject']));
    }
  } catch {
    return false; // dismissed, or the member turned subscriptions off in settings: nothing to report
  }
  const results = subscribeResults(tmplIds, answer);
  if (Object.keys(results).length === 0) return false;
  await api(routes.messaging.reportSubscriptions, { body: { results } }).catch(() => undefined);
  return Object.values(results).some((r) => r.startsWith('accept'));
}
