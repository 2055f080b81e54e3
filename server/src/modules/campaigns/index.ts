/** The campaigns module's public surface: what other modules and the composition root may import. */
import { Automation, AutomationEnrollment } from './campaign.entities.js';

export const CAMPAIGNS_ENTITIES = [Automation, AutomationEnrollment];
export { CampaignsService } from './campaigns.service.js';
