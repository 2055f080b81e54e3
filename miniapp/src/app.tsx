// First: schemas made after it validate without eval (the CSP allows none; neither does WeChat).
import '@huoyue/shared/jitless';
import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.scss';
import { session, taroStorage } from './api/client';
import { reportLanding } from './api/landing';

function App({ children }: PropsWithChildren) {
  // A member who arrives from a message (any page, ?hy_m=…) is counted once as having opened it.
  useLaunch((options) => {
    // A first visit logs in while the first page's code is still loading, not after it asks for data.
    if (!taroStorage.get()) void session.login().catch(() => undefined);
    void reportLanding(options?.query);
  });
  // …also when WeChat brings the running app back from a message (onShow, not onLaunch).
  useDidShow((options?: { query?: Record<string, unknown> }) => {
    void reportLanding(options?.query);
  });
  return children;
}

export default App;
