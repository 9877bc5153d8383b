import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { FieldError } from '../problems/problem-details.js';

const REQUIRES_SOME_FIELD = Symbol('requiresSomeField');

/** Problems about the body as a whole are reported under this name, as the nesting-depth limit is. */
export const BODY_FIELD = 'body';

/**
 * A body that must carry at least one of the class's fields, e.g. a partial update, where `{}` would change
 * nothing and answering 200 would hide a client's mistake. class-validator only validates properties, and an
 * omittable property with no value is skipped entirely, so this rule is checked by the validation pipe.
 */
export function RequiresSomeField(message: string): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(REQUIRES_SOME_FIELD, message, target);
  };
}

function declaredFields(type: Type): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  return new Set(metadata.map((entry) => entry.propertyName));
}

/** Non-class parameter types (`@Body() body: Record<…>`) are not DTOs and are passed through as they are. */
const NOT_DTOS = new Set<unknown>([Object, Array, String, Number, Boolean]);

export const isDtoClass = (type: unknown): type is Type => typeof type === 'function' && !NOT_DTOS.has(type);

/**
 * What is wrong with a request body as a whole, before its fields are looked at: it must be a JSON object (an
 * array would otherwise be read as an object with no fields and reported as "therapist_id is required"), and a
 * class marked `@RequiresSomeField` needs one of its fields.
 */
export function bodyProblems(type: Type, body: unknown): { notAnObject: boolean; errors: FieldError[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { notAnObject: true, errors: [{ field: BODY_FIELD, message: 'the body must be a JSON object' }] };
  }
  const message: unknown = Reflect.getMetadata(REQUIRES_SOME_FIELD, type);
  if (typeof message !== 'string') return { notAnObject: false, errors: [] };
  const fields = declaredFields(type);
  const hasSome = Object.keys(body).some((name) => fields.has(name));
  return { notAnObject: false, errors: hasSome ? [] : [{ field: BODY_FIELD, message }] };
}
