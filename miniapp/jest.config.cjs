// Component tests for the pages (jsdom, with @tarojs/* and the NutUI wrapper mapped to small doubles: Taro's
// own test utils do not run with Taro 4) and miniprogram-simulate tests on the compiled weapp output.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2020',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(qrcode-generator)/)'],
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/doubles/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/doubles/components.tsx',
    '^(\\.|.+/components)/ui$': '<rootDir>/test/doubles/ui.tsx',
    '\\.(css|scss)$': '<rootDir>/test/doubles/style.ts',
    '^@huoyue/shared$': '<rootDir>/../shared/src/index.ts',
    '^@huoyue/shared/jitless$': '<rootDir>/../shared/src/jitless.ts',
    '^qrcode-generator$': '<rootDir>/../node_modules/qrcode-generator/dist/qrcode.js',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  globals: { HUOYUE_API_URL: 'http://api.test/api', HUOYUE_SUBSCRIBE_TEMPLATES: '' },
  setupFiles: ['<rootDir>/test/setup.ts'],
  testTimeout: 15000,
};
