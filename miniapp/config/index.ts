import { dirname } from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * npm may nest @tarojs/plugin-framework-react under miniapp/ (its optional peer `vite@4` clashes with the
 * console's Vite), where Taro's H5 runtime cannot see it; and the logic modules import each other with the
 * `.js` suffix Node's ESM wants. Both targets resolve these the same way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const webpackChain = (chain: any) => {
  chain.resolve.alias.set(
    '@tarojs/plugin-framework-react',
    dirname(require.resolve('@tarojs/plugin-framework-react/package.json')),
  );
  chain.resolve.set('extensionAlias', { '.js': ['.ts', '.tsx', '.js'] });
};

/**
 * One code base, two targets: `taro build --type weapp` → dist/weapp (opened by WeChat DevTools through the root
 * project.config.json) and `--type h5` → dist/h5 (served by `npm start` at http://localhost:3000/).
 */
/**
 * H5 only: Taro splits only the initial chunks, so every page's chunk would carry its own copy of NutUI and our
 * components (2.5 MiB in all). Async pages share one chunk of what two or more of them use instead (one request,
 * not a dozen small ones, on the way to the first page).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const h5WebpackChain = (chain: any) => {
  webpackChain(chain);
  const split = chain.optimization.get('splitChunks');
  if (!split) return;
  chain.optimization.splitChunks({
    ...split,
    cacheGroups: {
      ...split.cacheGroups,
      pagesShared: {
        name: 'pages-shared',
        chunks: 'async',
        minChunks: 2,
        priority: 0,
        reuseExistingChunk: true,
      },
    },
  });
};

export default defineConfig(() => {
  const env = process.env.TARO_ENV ?? 'weapp';
  const config: UserConfigExport = {
    projectName: 'huoyue',
    date: '2026-12-02',
    // NutUI is drawn on a 375 px design, our pages on Taro's 750.
    designWidth: (input?: unknown) => {
      const file =
        typeof input === 'object' && input !== null ? (input as { file?: string }).file : undefined;
      return file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: ['@tarojs/plugin-html'],
    defineConstants: {
      // Where the mini-program finds the API. H5 is served beside the API, so it asks its own origin.
      HUOYUE_API_URL: JSON.stringify(
        process.env.HUOYUE_API_URL ?? (env === 'h5' ? '/api' : 'http://localhost:3000/api'),
      ),
      // The brand's subscribe-message template ids per moment, as JSON (see docs/miniapp.md); empty: the demo's.
      HUOYUE_SUBSCRIBE_TEMPLATES: JSON.stringify(process.env.HUOYUE_SUBSCRIBE_TEMPLATES ?? ''),
    },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      webpackChain,
      postcss: { pxtransform: { enable: true, config: {} }, cssModules: { enable: false } },
      // Modules only subpackages use stay in them, keeping the main package small.
      optimizeMainPackage: { enable: true },
    },
    h5: {
      webpackChain: h5WebpackChain,
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: { autoprefixer: { enable: true, config: {} }, cssModules: { enable: false } },
    },
  };
  return config;
});
