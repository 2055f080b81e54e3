import assert from 'node:assert/strict';
import { availableParallelism, tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@huoyue/server/dist/config/config.js';

const base = {
  DATA_DIR: tmpdir(),
  JWT_SECRET: 'unit-test-secret-unit-test-secret-0123456789',
};
const mysql = { DATABASE_URL: 'mysql://root@127.0.0.1:3306/x' };
const wechat = { WECHAT_APP_ID: 'wx0123456789abcdef', WECHAT_APP_SECRET: 'secret' };

describe('WORKERS, ROLE and METRICS configuration', () => {
  it('defaults: one worker outside production, every core in production on MySQL with WeChat', () => {
    assert.equal(loadConfig(base).workers, 1);
    assert.equal(loadConfig({ ...base, ...mysql, ...wechat }).workers, 1);
    assert.equal(
      loadConfig({ ...base, ...mysql, ...wechat, NODE_ENV: 'production' }).workers,
      availableParallelism(),
    );
    // Production on SQLite or beside the fake WeChat: the default stays 1 rather than refusing to start.
    assert.equal(loadConfig({ ...base, NODE_ENV: 'production' }).workers, 1);
    assert.equal(loadConfig({ ...base, ...mysql, NODE_ENV: 'production' }).workers, 1);
    const c = loadConfig(base);
    assert.equal(c.role, 'all');
    assert.deepEqual(c.metrics, { enabled: true, token: null });
  });

  it('refuses WORKERS>1 on SQLite and beside the fake WeChat; accepts it on MySQL with WeChat', () => {
    assert.throws(() => loadConfig({ ...base, WORKERS: '2' }), ConfigError);
    assert.throws(() => loadConfig({ ...base, ...mysql, WORKERS: '2' }), /WECHAT_APP_ID/);
    assert.equal(loadConfig({ ...base, ...mysql, ...wechat, WORKERS: '3' }).workers, 3);
  });

  it('validates ROLE, WORKERS and METRICS_TOKEN like the rest', () => {
    assert.throws(() => loadConfig({ ...base, ROLE: 'cron' }), /ROLE/);
    assert.throws(() => loadConfig({ ...base, WORKERS: '0' }), /WORKERS/);
    assert.throws(() => loadConfig({ ...base, METRICS_TOKEN: 'short' }), /METRICS_TOKEN/);
    const c = loadConfig({
      ...base,
      ROLE: 'worker',
      METRICS: 'false',
      METRICS_TOKEN: 'x'.repeat(16),
    });
    assert.equal(c.role, 'worker');
    assert.deepEqual(c.metrics, { enabled: false, token: 'x'.repeat(16) });
  });
});
