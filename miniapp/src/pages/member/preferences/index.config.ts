export default definePageConfig({ navigationBarTitleText: '消息与隐私设置' });
