export default definePageConfig({
  navigationBarTitleText: '会员等级与权益',
  enablePullDownRefresh: true,
});
