/**
 * Whether a value is a plain record (an object literal, or one structured clone made): what the
 * worker's replies are built of, walked into by the code that splits and interns them. Arrays,
 * typed arrays, buffers, Blobs, Maps and class instances are not.
 */
export function isPlainRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
