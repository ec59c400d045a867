import { z } from 'zod';

/** Master ids as mdm makes them (`m-42`), with room for other id schemes; nothing else reaches a query. */
export const personIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'not a master person id');
