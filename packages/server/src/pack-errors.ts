/**
 * The policy pack's errors as the API's. Evaluating the pack on a date before one of its
 * parameters has a value throws a PackError: for the caller that date is outside the pack's
 * period (TJ_OUTSIDE_PACK). A draft (a simulation, a local policy) that does not compile is the
 * author's error (TJ_RULE_INVALID). Anything else is passed through unchanged.
 */
import { PackError } from '@tingjian/engine';
import { AppError } from './errors.ts';

/** A PackError of an evaluation as TJ_OUTSIDE_PACK, naming the parameter and date; any other error as it is. */
export function outsidePack(err: unknown): unknown {
  return err instanceof PackError ? new AppError('TJ_OUTSIDE_PACK', `该日期不在政策包的适用期内：${err.message}`) : err;
}

/** Runs an evaluation over the pack (a scan, an assessment): a PackError becomes TJ_OUTSIDE_PACK. */
export function withinPack<T>(evaluate: () => T): T {
  try {
    return evaluate();
  } catch (err) {
    throw outsidePack(err);
  }
}

/** A draft's PackError as TJ_RULE_INVALID, "草案有误：" and the place and reason; any other error as it is. */
export function draftInvalid(
  err: unknown,
  message: (err: PackError) => string = (e) => e.message,
  details?: unknown,
): unknown {
  return err instanceof PackError ? new AppError('TJ_RULE_INVALID', `草案有误：${message(err)}`, details) : err;
}
