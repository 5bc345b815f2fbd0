import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { decodeWriteRequest, decompressSnappy, encodeWriteRequest, WriteRequestType } from './remote-write.ts';

const request = {
  timeseries: [
    {
      labels: [
        { name: '__name__', value: 'node_load1' },
        { name: 'instance', value: '127.0.0.1:9100' },
      ],
      samples: [
        { value: 0.42, timestamp: 1_764_158_400_123 },
        { value: 0.5, timestamp: 1_764_158_402_123 },
      ],
    },
  ],
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}` : `not an AppError: ${String(error)}`;
  }
  return 'no error';
};

describe('remote_write decoding', () => {
  it('round-trips a WriteRequest through snappy and protobuf, with int64 timestamps as numbers', () => {
    const decoded = decodeWriteRequest(decompressSnappy(encodeWriteRequest(request)));
    expect(decoded.timeseries).toEqual(request.timeseries);
    expect(decoded.metadataCount).toBe(0);
  });

  it('reads metadata-only requests as no series', () => {
    const bytes = WriteRequestType.encode(WriteRequestType.fromObject({ metadata: [{ type: 1, metricFamilyName: 'node_load1', help: '1m load average.' }] })).finish();
    const decoded = decodeWriteRequest(decompressSnappy(Buffer.from(snappy.compress(Buffer.from(bytes)))));
    expect(decoded).toEqual({ timeseries: [], metadataCount: 1 });
  });

  it('refuses garbage, a broken snappy frame and an empty body as INVALID_SNAPPY', () => {
    expect(codeOf(() => decompressSnappy(Buffer.from('hello, this is not snappy at all')))).toBe('400 INVALID_SNAPPY');
    const frame = encodeWriteRequest(request);
    expect(codeOf(() => decompressSnappy(frame.subarray(0, frame.length - 5)))).toBe('400 INVALID_SNAPPY');
    expect(codeOf(() => decompressSnappy(Buffer.alloc(0)))).toBe('400 INVALID_SNAPPY');
  });

  it('refuses a frame that claims more than the uncompressed limit before allocating it', () => {
    const big = Buffer.from(snappy.compress(Buffer.alloc(2048)));
    expect(codeOf(() => decompressSnappy(big, 1024))).toBe('400 BODY_TOO_LARGE');
  });

  it('refuses bytes that are not a protobuf as INVALID_PROTOBUF', () => {
    expect(codeOf(() => decodeWriteRequest(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01])))).toBe('400 INVALID_PROTOBUF');
  });

  it('decodes a protobuf of another type into series without a metric name (refused later by the rules)', () => {
    const Other = new protobuf.Type('Other').add(new protobuf.Field('name', 1, 'string')).add(new protobuf.Field('count', 2, 'int32'));
    const bytes = Other.encode(Other.create({ name: 'x', count: 7 })).finish();
    const outcome = codeOf(() => decodeWriteRequest(bytes));
    if (outcome === 'no error') expect(decodeWriteRequest(bytes).timeseries.every((s) => !s.labels.some((l) => l.name === '__name__'))).toBe(true);
    else expect(outcome).toBe('400 INVALID_PROTOBUF');
  });
});
