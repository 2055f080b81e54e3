import { Controller, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { routes } from '@huoyue/shared';
import { Contract } from '../../infra/http/contract.js';
import { UploadsService } from './uploads.service.js';

@Controller()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  /** The body is the picture's bytes, as the image parser handed them over (server.ts, uploads/image-parser.ts). */
  @Contract(routes.mall.uploadImage)
  image(@Req() req: FastifyRequest) {
    return this.uploads.saveImage(req.body);
  }
}
