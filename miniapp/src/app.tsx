import type { PropsWithChildren } from 'react';
import { useDidShow, useLaunch } from '@tarojs/taro';
import '@nutui/nutui-react-taro/dist/styles/themes/default.css';
import './app.scss';
import { reportLanding } from './api/landing';

function App({ children }: PropsWithChildren) {
  // A member who arrives from a message (any page, ?hy_m=…) is counted once as having opened it.
  useLaunch((options) => {
    void reportLanding(options?.query);
  });
  // …also when WeChat brings the running app back from a message (onShow, not onLaunch).
  useDidShow((options?: { query?: Record<string, unknown> }) => {
    void reportLanding(options?.query);
  });
  return children;
}

export default App;
