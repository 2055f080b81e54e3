/**
 * The members module's public surface: what other modules and the composition root may import. MemberDirectory is
 * imported from member-directory.module.ts instead: the modules the members module itself imports (points) ask it,
 * and that file depends on nothing, so no import cycle runs through this one.
 */
import { Member } from './entities/member.entity.js';
import { Tier } from './entities/tier.entity.js';
import { TierHistory } from './entities/tier-history.entity.js';

export const MEMBERS_ENTITIES = [Member, Tier, TierHistory];
export type { Member } from './entities/member.entity.js';
export { generateCardNo } from './card-code.service.js';
export { MembersService, PHONE_REF } from './members.service.js';
export { TierService } from './tier.service.js';
export { MemberLookupService, memberRef, type MemberRef } from './member-lookup.service.js';
