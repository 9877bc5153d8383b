import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpCode,
  HttpStatus,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';

class LocationHeaderInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ id: number }>): Observable<{ id: number }> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    return next.handle().pipe(
      map((created) => {
        response.location(`${request.baseUrl}${request.path.replace(/\/$/, '')}/${created.id}`);
        return created;
      }),
    );
  }
}

/** 201 Created with a `Location` header pointing at the new resource (the collection URL plus its id). */
export const Created = (): MethodDecorator & ClassDecorator =>
  applyDecorators(HttpCode(HttpStatus.CREATED), UseInterceptors(new LocationHeaderInterceptor()));
