// Main package: the three tab pages. Everything else lives in subpackages under pages/, so message landing
// paths (pages/…) stay stable and the main package stays small.
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/mall/index', 'pages/mine/index'],
  subPackages: [
    {
      root: 'pages/member',
      pages: [
        'join/index',
        'preferences/index',
        'agreement/index',
        'profile/index',
        'export/index',
        'close/index',
      ],
    },
    { root: 'pages/checkin', pages: ['index'] },
    { root: 'pages/points', pages: ['index', 'tiers/index'] },
    { root: 'pages/redeem', pages: ['item/index', 'result/index', 'mine/index', 'voucher/index'] },
    { root: 'pages/coupons', pages: ['index', 'center/index', 'detail/index'] },
    { root: 'pages/badges', pages: ['index', 'leaderboard/index'] },
    { root: 'pages/clerk', pages: ['index'] },
  ],
  preloadRule: {
    'pages/home/index': { network: 'all', packages: ['pages/checkin', 'pages/coupons'] },
    'pages/mall/index': { network: 'all', packages: ['pages/redeem'] },
  },
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '活跃会员',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
  tabBar: {
    color: '#8a8f99',
    selectedColor: '#fa5a2e',
    backgroundColor: '#ffffff',
    borderStyle: 'white',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '会员卡',
        iconPath: 'assets/tab/card-normal.png',
        selectedIconPath: 'assets/tab/card-active.png',
      },
      {
        pagePath: 'pages/mall/index',
        text: '积分商城',
        iconPath: 'assets/tab/mall-normal.png',
        selectedIconPath: 'assets/tab/mall-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine-normal.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
  lazyCodeLoading: 'requiredComponents',
});
