// The error answers the directory routes document: validation, credentials, role, not found, conflict.
import { ErrorSchema } from './common.js';

export const readErrors = { 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema };
export const writeErrors = { ...readErrors, 403: ErrorSchema, 409: ErrorSchema };
