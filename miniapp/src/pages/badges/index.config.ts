export default definePageConfig({
  navigationBarTitleText: '我的勋章',
  enablePullDownRefresh: true,
});
