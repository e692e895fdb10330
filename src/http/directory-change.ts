// How the directory routes run a change: the use-case's context from the caller, and its refusals
// mapped onto the error catalogue (invalid → 400, not-found → 404, conflict → 409).
import type { ChangeContext, ChangeResult } from '../app/directory-change.js';
import { actorOf, type Principal } from './auth.js';
import type { ApiContext } from './context.js';
import { HttpError, type ErrorCode } from './errors.js';

export function changeContext(context: ApiContext, principal: Principal, workspaceId: string): ChangeContext {
  return {
    store: context.store,
    workspaceId,
    actor: actorOf(principal),
    now: context.messages.now,
    newId: context.messages.newId,
  };
}

const STATUS: Record<'not-found' | 'conflict' | 'invalid', ErrorCode> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  invalid: 'validation-failed',
};

export function valueOf<T>(result: ChangeResult<T>): T {
  if (!result.ok) throw new HttpError(STATUS[result.problem], result.message);
  return result.value;
}
