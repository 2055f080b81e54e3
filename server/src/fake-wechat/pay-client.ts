/**
 * The real WeChat Pay client (wechatpay-axios-plugin), re-exported for the tests workspace: it drives the fake
 * WeChat Pay with it, and only server/ depends on the package (so tests cannot import it by name).
 */
export { Wechatpay, Rsa, Formatter } from 'wechatpay-axios-plugin';
