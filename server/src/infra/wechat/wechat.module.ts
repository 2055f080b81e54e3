import { Global, Module } from '@nestjs/common';
import { AccessTokenStore } from './access-token.store.js';
import { HttpWechatGateway, WechatGateway } from './wechat.gateway.js';

@Global()
@Module({
  providers: [AccessTokenStore, { provide: WechatGateway, useClass: HttpWechatGateway }],
  exports: [WechatGateway, AccessTokenStore],
})
export class WechatModule {}
