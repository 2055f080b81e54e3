import { Body, Controller, Param, Query } from '@nestjs/common';
import { routes } from '@huoyue/shared';
import { CurrentActor, CurrentMember, CurrentStaff } from '../../infra/auth/auth.guard.js';
import type { Actor, MemberPrincipal, StaffPrincipal } from '../../infra/auth/token.service.js';
import { Contract, type In } from '../../infra/http/contract.js';
import type { MessageTemplate } from './messaging.entities.js';
import { MessagingService } from './messaging.service.js';

const r = routes.messaging;

const templateView = (t: MessageTemplate) => ({
  id: t.id,
  code: t.code,
  name: t.name,
  channel: t.channel,
  purpose: t.purpose,
  wechatTemplateId: t.wechatTemplateId,
  fields: t.fields,
  smsText: t.smsText,
  page: t.page,
  active: t.active,
});

@Controller()
export class MessagingController {
  constructor(private readonly messaging: MessagingService) {}

  @Contract(r.reportSubscriptions)
  async subscriptions(
    @CurrentMember() me: MemberPrincipal,
    @Body() body: In<typeof r.reportSubscriptions.body>,
  ) {
    return { quotas: await this.messaging.reportSubscriptions(me.memberId, body.results) };
  }

  @Contract(r.getPreferences)
  preferences(@CurrentMember() me: MemberPrincipal) {
    return this.messaging.preferences(me.memberId);
  }

  @Contract(r.putPreferences)
  setPreferences(
    @CurrentMember() me: MemberPrincipal,
    @Body() body: In<typeof r.putPreferences.body>,
  ) {
    return this.messaging.setPreferences(me.memberId, body);
  }

  @Contract(r.opened)
  async opened(@CurrentMember() me: MemberPrincipal, @Body() body: In<typeof r.opened.body>) {
    await this.messaging.opened(me.memberId, body.token);
    return { ok: true as const };
  }

  @Contract(r.listTemplates)
  async templates() {
    return { items: (await this.messaging.templates()).map(templateView) };
  }

  @Contract(r.createTemplate)
  async create(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: In<typeof r.createTemplate.body>,
  ) {
    return templateView(await this.messaging.saveTemplate(staff, body));
  }

  @Contract(r.updateTemplate)
  async update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param() params: In<typeof r.updateTemplate.params>,
    @Body() body: In<typeof r.updateTemplate.body>,
  ) {
    return templateView(await this.messaging.saveTemplate(staff, body, params.id));
  }

  @Contract(r.getSettings)
  settings() {
    return this.messaging.settings();
  }

  @Contract(r.putSettings)
  setSettings(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.putSettings.body>) {
    return this.messaging.setSettings(staff, body);
  }

  @Contract(r.send)
  send(@CurrentStaff() staff: StaffPrincipal, @Body() body: In<typeof r.send.body>) {
    return this.messaging.sendOne(staff, body);
  }

  @Contract(r.listMessages)
  list(@Query() query: In<typeof r.listMessages.query>) {
    return this.messaging.list(query);
  }

  @Contract(r.syncFollowers)
  async followers(@CurrentActor() _actor: Actor, @Body() body: In<typeof r.syncFollowers.body>) {
    return { upserted: await this.messaging.syncFollowers(body.followers) };
  }
}
