export default definePageConfig({ navigationBarTitleText: '店员核销' });
