import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, mergeMap, type Observable } from 'rxjs';
import { flash, hasFlash, saveFlash, takeFlash } from './flash.js';
import { isHtmx } from './htmx.js';

/**
 * A rendered page: its view model, and when it is not the default, the status or templates to use, and a
 * confirmation to show with it (see `flash`).
 */
export class PageView<Model extends object = object> {
  constructor(
    readonly model: Model,
    readonly options: { status?: number; template?: string; fragment?: string; flash?: string } = {},
  ) {}
}

/**
 * After a successful form post: 303 for a plain browser, a full navigation (`HX-Redirect`) for htmx; with a
 * confirmation (e.g. `redirectTo('/sessions/7', 'Session booked')`) that the page it leads to shows once.
 */
export class Redirect {
  constructor(
    readonly url: string,
    readonly flash?: string,
  ) {}
}

export const redirectTo = (url: string, flash?: string): Redirect => new Redirect(url, flash);

class PageInterceptor implements NestInterceptor {
  constructor(
    private readonly template: string,
    private readonly fragment?: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler<object>): Observable<void> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    return next.handle().pipe(mergeMap((result) => from(this.respond(result, request, response))));
  }

  private async respond(result: object, request: Request, response: Response): Promise<void> {
    if (result instanceof Redirect) {
      if (result.flash !== undefined) flash(request, result.flash);
      if (hasFlash(request)) await saveFlash(request);
      if (isHtmx(request)) response.set('HX-Redirect', result.url).status(200).end();
      else response.redirect(303, result.url);
      return;
    }
    // `instanceof` cannot know a generic's argument (it narrows to PageView<any>); every model is an object.
    const pageView: PageView = result instanceof PageView ? (result as PageView) : new PageView(result);
    await renderPage(response, request, pageView, this.template, this.fragment);
  }
}

/**
 * One URL, two renderings: the whole document, or only the fragment an htmx request swaps. `Vary: HX-Request`
 * keeps caches (and htmx's history restore, which re-fetches without the header) from mixing them up.
 */
export function renderPage(
  response: Response,
  request: Request,
  pageView: PageView,
  template: string,
  fragment?: string,
): Promise<void> {
  response.vary('HX-Request');
  const partial = isHtmx(request) && (pageView.options.fragment ?? fragment);
  const name = partial || (pageView.options.template ?? template);
  response.status(pageView.options.status ?? 200);
  const flashMessages = [...takeFlash(request), ...(pageView.options.flash ? [pageView.options.flash] : [])];
  return new Promise((resolve, reject) => {
    response.render(
      name,
      { ...pageView.model, flashMessages, layout: partial ? false : undefined },
      (error: Error | null, html) => {
        if (error) {
          reject(error);
          return;
        }
        if (!partial || flashMessages.length === 0) {
          response.type('html').send(html);
          resolve();
          return;
        }
        // A fragment carries its confirmation out of band, into the live region the layout holds.
        response.render(
          FLASH_PARTIAL,
          { flashMessages, oob: true, layout: false },
          (oobError: Error | null, flashHtml) => {
            if (oobError) reject(oobError);
            else {
              response.type('html').send(`${html}\n${flashHtml}`);
              resolve();
            }
          },
        );
      },
    );
  });
}

const FLASH_PARTIAL = 'partials/flash';

/** Declares the page template of a handler and the fragment it swaps for htmx requests. */
export const Page = (template: string, fragment?: string): MethodDecorator =>
  applyDecorators(UseInterceptors(new PageInterceptor(template, fragment)));
