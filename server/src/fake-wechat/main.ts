/** Runs the fake WeChat on its own: `npm run fake-wechat` (port FAKE_WECHAT_PORT, default 3100). */
import { FAKE_APP_ID, FAKE_APP_SECRET } from '../config/config.js';
import { startFakeWechat } from './fake-wechat.js';

const port = Number(process.env.FAKE_WECHAT_PORT ?? 3100);
const fake = await startFakeWechat({
  port,
  host: process.env.FAKE_WECHAT_HOST ?? '127.0.0.1',
  apps: [
    {
      appId: process.env.WECHAT_APP_ID ?? FAKE_APP_ID,
      secret: process.env.WECHAT_APP_SECRET ?? FAKE_APP_SECRET,
      kind: 'mp',
    },
    { appId: `${FAKE_APP_ID}oa`, secret: FAKE_APP_SECRET, kind: 'oa' },
  ],
});
console.log(`fake WeChat listening on ${fake.url}`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
