/**
 * The scanner registry: explicit, in order. A scanner declares the content labels it handles.
 */
import { pickleScanner } from './pickle/index.js';
import type { Scanner } from './types.js';

export const SCANNERS: Scanner[] = [pickleScanner];
