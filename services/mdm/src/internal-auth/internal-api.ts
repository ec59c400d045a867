import { BadRequestException, HttpException } from '@nestjs/common';
import type { z } from 'zod';
import { ResolutionRefused } from '../resolution/projection';

/** Validates a query or body at the boundary; a clear 400 names each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new BadRequestException({
    code: 'MDM.INVALID_REQUEST',
    message: 'the request is not valid',
    errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
  });
}

/** Refusals become their HTTP status with the stable code; anything else is a bug and stays a 500. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ResolutionRefused) throw new HttpException({ code: error.code, message: error.message }, error.status);
    throw error;
  }
}

/** A record key is `<source system>/<source record id>`. */
export const RECORD_KEY = /^[^/\s]{1,200}\/.{1,500}$/;
