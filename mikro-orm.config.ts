// Configuration for the MikroORM CLI (`npx mikro-orm migration:create` etc.); the app builds the same config
// through createOrmConfig(). The CLI needs DATABASE_URL (e.g. the embedded server's URL printed by `npm start`).
import 'reflect-metadata';
import { createOrmConfig } from './src/database/orm.config.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL for the MikroORM CLI, e.g. the URL `npm start` prints.');

export default createOrmConfig(url, { preferTs: true });
