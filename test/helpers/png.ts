// Width and height of a PNG (a Buffer, or base64 as the API answers it), from its IHDR chunk after
// checking the signature: a test that gets something else fails here.
import assert from 'node:assert/strict';

export function pngSize(png: Buffer | string): { width: number; height: number } {
  const bytes = typeof png === 'string' ? Buffer.from(png, 'base64') : png;
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'not a PNG');
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
