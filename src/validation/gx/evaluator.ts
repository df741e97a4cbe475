/**
 * The contract between the streaming engine and one expectation. The engine feeds every batch (once
 * per pass) with the expectation's row_condition already applied as a mask, then asks for the result.
 */
import type { Batch, Column, Dtype } from '../types.js';
import type { MapOutcome } from './map.js';

export interface FinishCtx {
  /** rows in the dataset (before any row_condition) */
  rows: number;
  /** columns in first-seen order */
  columns: string[];
  dtype(name: string): Dtype;
}

export interface View {
  batch: Batch;
  col(name: string): Column | undefined;
  /** 1 = the row satisfies the row_condition; null = no condition */
  mask: Uint8Array | null;
  /** dtype so far, for `str()` of numbers */
  dtype(name: string): Dtype;
}

export interface Evaluator {
  /** 2 when results depend on whole-column statistics (uniqueness, z-scores) */
  readonly passes: number;
  update(v: View, pass: number): void;
  endPass?(pass: number): void;
  finish(ctx: FinishCtx): MapOutcome;
  /** mlvet notes for result meta (approximations, caps) */
  notes?(): Record<string, unknown> | undefined;
}
