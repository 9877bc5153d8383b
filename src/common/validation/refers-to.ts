import { AsyncLocalStorage } from 'node:async_hooks';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { MAX_ID } from '../http/id-param.js';

/** A repository that can tell whether a row with this id exists. */
export interface ExistenceCheck {
  exists(id: number): Promise<boolean>;
}

/**
 * The application handling the current request. class-validator's own container (`useContainer`) is one global
 * for the process, so with several apps alive at once (the test suites) a validator would query another app's
 * database; this is bound per request instead.
 */
const currentApp = new AsyncLocalStorage<INestApplicationContext>();

/** Express middleware: validators running for this request look their repositories up in `app`. */
export function provideToValidators(app: INestApplicationContext) {
  return (_request: Request, _response: Response, next: NextFunction): void => {
    currentApp.run(app, next);
  };
}

function repository(type: () => Type<ExistenceCheck>): ExistenceCheck {
  const app = currentApp.getStore();
  // Loud rather than silently valid: an unchecked reference would only surface later, as a less precise error.
  if (!app) throw new Error('A reference was validated outside a request of a configured application.');
  return app.get(type(), { strict: false });
}

const isId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= MAX_ID;

/**
 * The id of an existing row, e.g. `@RefersTo(() => TherapistRepository, 'therapist')`, so that an unknown id is
 * reported together with every other bad field. A value that is not an id at all is left to the field's type
 * checks. The repository is passed lazily to keep the dependency pointing from the feature to this decorator.
 */
export function RefersTo(
  type: () => Type<ExistenceCheck>,
  noun: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'refersTo',
      async: true,
      validator: {
        validate: async (value) => !isId(value) || repository(type).exists(value),
        defaultMessage: (args) => `${noun} ${String(args?.value)} does not exist`,
      },
    },
    options,
  );
}
