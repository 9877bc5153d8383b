import { Global, Module } from '@nestjs/common';
import { AuditApiController } from './audit.api.controller.js';
import { AuditContextSubscriber } from './audit-context.subscriber.js';
import { AuditPagesController } from './audit.pages.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditTrailService } from './audit-trail.service.js';

/** The audit trail: every feature records through AuditService; admins read it at /admin/audit. */
@Global()
@Module({
  controllers: [AuditApiController, AuditPagesController],
  providers: [AuditRepository, AuditService, AuditTrailService, AuditContextSubscriber],
  exports: [AuditService, AuditTrailService],
})
export class AuditModule {}
