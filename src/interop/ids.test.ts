import { expect, test } from 'vitest';
import { isOtlpHexId, normaliseId } from './ids.ts';

test.each([
  ['5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
  ['0x84f212578f747953', '84f212578f747953'],
  ['S/kvNXezTaajzpKdDg5HNg==', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['APBnqgupArc=', '00f067aa0ba902b7'],
  ['tr-0af7651916cd43dd8448eb211c80319c', 'tr-0af7651916cd43dd8448eb211c80319c'],
  ['abc123', 'abc123'],
  [42, '42'],
  ['5b8efff798038103d269b633813fc60c', '5b8efff798038103d269b633813fc60c'],
  ['00f067aa0ba902b7', '00f067aa0ba902b7'],
  ['00f067aa0ba902bg', '00f067aa0ba902bg'],
  ['0000000000000000', null],
  ['00000000000000000000000000000000', null],
  ['AAAAAAAAAAA=', null],
  ['', null],
  [null, null],
  [undefined, null],
])('normaliseId(%j) → %j', (raw, id) => {
  expect(normaliseId(raw)).toBe(id);
});

test('normaliseId makes bytes hex, a Buffer or a plain Uint8Array alike, and all zeros none', () => {
  const bytes = [0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36];
  const inLargerBuffer = Buffer.from([0xff, ...bytes, 0xff]).subarray(1, 17); // a view, as protobufjs decodes one
  expect(normaliseId(inLargerBuffer)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(normaliseId(new Uint8Array([0, ...bytes]).subarray(1))).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(normaliseId(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]))).toBe('0000000000000001');
  expect(normaliseId(Buffer.alloc(8))).toBeNull();
  expect(normaliseId(new Uint8Array(16))).toBeNull();
  expect(normaliseId(new Uint8Array(0))).toBeNull();
});

test('isOtlpHexId wants lower-case hex of the right length, not all zeros', () => {
  expect(isOtlpHexId('00f067aa0ba902b7', 16)).toBe(true);
  expect(isOtlpHexId('00F067AA0BA902B7', 16)).toBe(false);
  expect(isOtlpHexId('00f067aa0ba902b7', 32)).toBe(false);
  expect(isOtlpHexId('0000000000000000', 16)).toBe(false);
  expect(isOtlpHexId('root', 16)).toBe(false);
});

test('protobuf bytes, decoded as a view into a larger buffer, become hex; empty or zero bytes are no id', () => {
  const body = Buffer.from('ff00f067aa0ba902b7ff', 'hex');
  expect(normaliseId(body.subarray(1, 9))).toBe('00f067aa0ba902b7');
  expect(normaliseId(new Uint8Array(0))).toBeNull();
  expect(normaliseId(new Uint8Array(16))).toBeNull();
});
