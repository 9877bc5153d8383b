import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { createOrmConfig, type OrmConfigOptions } from './orm.config.js';

@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, options: OrmConfigOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [MikroOrmModule.forRoot(createOrmConfig(databaseUrl, options))],
    };
  }
}
