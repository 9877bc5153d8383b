import { describe, expect, it } from '@jest/globals';
import { IsInt, IsOptional } from 'class-validator';
import { bodyProblems, isDtoClass, RequiresSomeField } from './body-rules.js';
import { InputValidationPipe } from './input-validation.pipe.js';

@RequiresSomeField('nothing to change')
class Change {
  @IsOptional()
  @IsInt()
  size?: number;
}

class Create {
  @IsInt()
  size!: number;
}

const NOT_AN_OBJECT = [{ field: 'body', message: 'the body must be a JSON object' }];

describe('bodyProblems', () => {
  it.each([[[]], [[{ size: 1 }]], ['text'], [42], [null]])('refuses %j as not an object', (body) => {
    expect(bodyProblems(Create, body)).toEqual({ notAnObject: true, errors: NOT_AN_OBJECT });
  });

  it('asks a @RequiresSomeField class for one of its own fields, not any field', () => {
    expect(bodyProblems(Change, {}).errors).toEqual([{ field: 'body', message: 'nothing to change' }]);
    expect(bodyProblems(Change, { colour: 'red' }).errors).toEqual([
      { field: 'body', message: 'nothing to change' },
    ]);
    expect(bodyProblems(Change, { size: 1 }).errors).toEqual([]);
  });

  it('lets other classes have no fields at all', () => {
    expect(bodyProblems(Create, {})).toEqual({ notAnObject: false, errors: [] });
  });

  it('only takes classes of their own for DTOs', () => {
    expect([Create, Object, Array, String, Number, Boolean, undefined].map(isDtoClass)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('InputValidationPipe', () => {
  const pipe = new InputValidationPipe();

  it('names unknown body entries fields and unknown query entries parameters', async () => {
    await expect(
      pipe.transform({ size: 1, extra: 1 }, { type: 'body', metatype: Create }),
    ).rejects.toMatchObject({
      errors: [{ field: 'extra', message: 'extra is not a known field' }],
    });
    await expect(
      pipe.transform({ size: 1, extra: '1' }, { type: 'query', metatype: Create }),
    ).rejects.toMatchObject({ errors: [{ field: 'extra', message: 'extra is not a known parameter' }] });
  });

  it('refuses an update body with nothing to change, together with its unknown fields', async () => {
    await expect(pipe.transform({ extra: 1 }, { type: 'body', metatype: Change })).rejects.toMatchObject({
      errors: [
        { field: 'body', message: 'nothing to change' },
        { field: 'extra', message: 'extra is not a known field' },
      ],
    });
    await expect(pipe.transform({ size: 2 }, { type: 'body', metatype: Change })).resolves.toEqual({
      size: 2,
    });
  });
});
