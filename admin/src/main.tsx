import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// Date pickers draw month and weekday names through dayjs: Chinese, like the rest of the console.
dayjs.locale('zh-cn');

const theme = { token: { colorPrimary: '#e8590c' } };

// Confirmations and toasts opened from code (Modal.confirm, message) get the same language and colours.
ConfigProvider.config({
  holderRender: (children: ReactNode) => (
    <ConfigProvider locale={zhCN} theme={theme}>
      {children}
    </ConfigProvider>
  ),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme}>
      <App />
    </ConfigProvider>
  </StrictMode>,
);
