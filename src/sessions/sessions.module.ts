import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Session } from './session.entity.js';
import { SessionsApiController } from './sessions.api.controller.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [MikroOrmModule.forFeature([Session])],
  controllers: [SessionsApiController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
