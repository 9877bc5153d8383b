import { describe, expect, it } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { HealthController } from './health.controller.js';

describe('HealthController', () => {
  it('turns readiness down from the moment shutdown begins, with the database still up', async () => {
    const database = {
      isReady: (key: string) => new HealthIndicatorService().check(key).up(),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: DatabaseHealthIndicator, useValue: database }],
    }).compile();
    await moduleRef.init();
    const controller = moduleRef.get(HealthController);
    await expect(controller.ready()).resolves.toMatchObject({ status: 'ok' });

    // What enableShutdownHooks() runs on SIGTERM; terminus answers 503 from its beforeApplicationShutdown on.
    await moduleRef.close();

    const shuttingDown = await controller.ready().catch((error: unknown) => error);
    expect(shuttingDown).toBeInstanceOf(ServiceUnavailableException);
    expect((shuttingDown as ServiceUnavailableException).getResponse()).toMatchObject({
      status: 'shutting_down',
    });
    expect(controller.live()).toEqual({ status: 'ok' });
  });
});
