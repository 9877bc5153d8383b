import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import hbs from 'hbs';

/** The project root, from src/common/web (TypeScript) or dist/common/web (compiled) alike. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');

const packageDir = (specifier: string): string => path.dirname(fileURLToPath(import.meta.resolve(specifier)));

/**
 * Handlebars views (`views/`, layout `views/layouts/main.hbs`, every template also usable as a partial by its
 * path, e.g. `{{> sessions/_row}}`), static files from `public/`, and the two front-end packages served from
 * node_modules so the pages work offline and need no build step.
 */
export async function configureViews(
  app: NestExpressApplication,
  locals: Record<string, unknown>,
  { cache }: { cache: boolean },
): Promise<void> {
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  // Read and compile each template once, except while developing (edits show on reload).
  app.set('view cache', cache);
  Object.assign(app.getHttpAdapter().getInstance().locals, locals);
  await new Promise<void>((resolve) => {
    hbs.registerPartials(VIEWS_DIR, resolve);
  });
  // Handlebars compiles a partial registered as text on every render (it keeps the compiled one only in that
  // render's copy of the partials): compiled once here, the day sheet's render fell from ~40 to ~5 ms.
  if (cache) {
    for (const [name, partial] of Object.entries(hbs.handlebars.partials)) {
      if (typeof partial === 'string') hbs.handlebars.registerPartial(name, hbs.handlebars.compile(partial));
    }
  }

  const staticOptions = { index: false, maxAge: '1h', fallthrough: true };
  app.useStaticAssets(path.join(PROJECT_ROOT, 'public'), { ...staticOptions, prefix: '/assets/' });
  app.useStaticAssets(packageDir('htmx.org'), { ...staticOptions, prefix: '/vendor/htmx/' });
  app.useStaticAssets(packageDir('@picocss/pico'), { ...staticOptions, prefix: '/vendor/pico/' });
  // Browsers ask for /favicon.ico whatever the page links: the same icon, rather than a 404 on every page.
  const favicon = path.join(PROJECT_ROOT, 'public', 'favicon.svg');
  app
    .getHttpAdapter()
    .getInstance()
    .get('/favicon.ico', (_request: Request, response: Response) => {
      response.type('image/svg+xml').set('Cache-Control', 'public, max-age=86400').sendFile(favicon);
    });
}
