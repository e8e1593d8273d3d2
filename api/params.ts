// API8: the declared formats of identifiers in paths and queries (page cursors: api/paging.ts). A value outside its
// format is a 400 naming the parameter; a well-formed id that names nothing (or nothing the caller may see)
// is a 404. The security property test (test/security/api8-bad-input.test.ts) holds the API to these.
import { z } from 'zod';
import './openapi';

/** Case ids: `<county>-<16 hex>` as issued (newCaseId); shorter ids of the same alphabet stay valid (v1 cases, tests). */
export const CASE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const caseIdSchema = z.string().regex(CASE_ID, 'a case id: letters, digits, - and _, at most 64, starting with a letter or digit').openapi({ example: '140502-9f86d081884c7d65' });
