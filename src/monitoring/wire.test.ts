import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { WriteRequestType } from './remote-write.ts';
import { readWriteRequest, seriesLabels } from './wire.ts';

// The reference: protobufjs' reflection decoder of the same schema, extended with the fields the
// hand-written reader must skip (exemplars, histograms, unknown numbers).
const Extended = protobuf.Root.fromJSON({
  nested: {
    X: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 }, metadata: { rule: 'repeated', type: 'Meta', id: 3 }, extra: { type: 'string', id: 9 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
            exemplars: { rule: 'repeated', type: 'Label', id: 3 },
            histogramish: { type: 'fixed32', id: 4 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 }, note: { type: 'sint64', id: 7 } } },
        Meta: { fields: { type: { type: 'int32', id: 1 }, metricFamilyName: { type: 'string', id: 2 } } },
      },
    },
  },
}).lookupType('X.WriteRequest');

const label = fc.record({ name: fc.string({ maxLength: 12 }), value: fc.string({ unit: 'binary', maxLength: 20 }) });
const sample = fc.record({
  value: fc.double(),
  // int64 as protobufjs (Long disabled) writes it: any safe integer, negative ones as 10-byte varints.
  timestamp: fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 42 }), fc.maxSafeInteger(), fc.constant(-1), fc.constant(0)),
  note: fc.integer(),
});
const series = fc.record({ labels: fc.array(label, { maxLength: 5 }), samples: fc.array(sample, { maxLength: 4 }), exemplars: fc.array(label, { maxLength: 2 }), histogramish: fc.nat() });
const request = fc.record({ timeseries: fc.array(series, { maxLength: 6 }), metadata: fc.array(fc.record({ type: fc.integer(), metricFamilyName: fc.string() }), { maxLength: 3 }), extra: fc.string() });

const sameNumber = (a: number, b: number) => (Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b));

describe('the hand-written remote_write reader', () => {
  it('reads every generated WriteRequest exactly as protobufjs does, skipping unknown fields', () => {
    fc.assert(
      fc.property(request, (input) => {
        const bytes = Extended.encode(Extended.fromObject(input)).finish();
        const reference = WriteRequestType.decode(bytes) as unknown as { timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[]; metadata: unknown[] };
        const raw = readWriteRequest(bytes);
        expect(raw.metadataCount).toBe(reference.metadata.length);
        expect(raw.series).toHaveLength(reference.timeseries.length);
        raw.series.forEach((s, i) => {
          const expected = reference.timeseries[i];
          expect(seriesLabels(raw.buffer, s)).toEqual(expected.labels.map((l) => ({ name: l.name, value: l.value })));
          expect(s.timestamps).toEqual(expected.samples.map((p) => Number(p.timestamp)));
          s.values.forEach((v, j) => expect(sameNumber(v, expected.samples[j].value)).toBe(true));
        });
      }),
      { seed: 20261126, numRuns: 400 },
    );
  });

  it('gives the same series the same label key and different label sets different keys', () => {
    const encode = (labels: { name: string; value: string }[], value: number) => WriteRequestType.encode(WriteRequestType.fromObject({ timeseries: [{ labels, samples: [{ value, timestamp: 1 }] }] })).finish();
    const a = [{ name: '__name__', value: 'up' }, { name: 'job', value: 'node' }];
    const b = [{ name: '__name__', value: 'up' }, { name: 'job', value: 'dcgm' }];
    const keyOf = (bytes: Uint8Array) => readWriteRequest(bytes).series[0].labelKey;
    expect(keyOf(encode(a, 1))).toBe(keyOf(encode(a, 2)));
    expect(keyOf(encode(a, 1))).not.toBe(keyOf(encode(b, 1)));
  });

  it('refuses truncated and malformed bytes with INVALID_PROTOBUF and nothing else', () => {
    const valid = WriteRequestType.encode(
      WriteRequestType.fromObject({ timeseries: [{ labels: [{ name: '__name__', value: 'node_load1' }], samples: [{ value: 0.5, timestamp: 1_764_158_400_123 }] }] }),
    ).finish();
    for (let cut = 1; cut < valid.length; cut++) {
      const outcome = (() => {
        try {
          readWriteRequest(valid.subarray(0, cut));
          return 'decoded';
        } catch (error) {
          return error instanceof AppError ? `${error.status} ${error.code}` : `unexpected ${String(error)}`;
        }
      })();
      expect(outcome, `cut at ${cut}`).toBe('400 INVALID_PROTOBUF');
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          readWriteRequest(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('INVALID_PROTOBUF');
        }
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it('refuses a known field with the wrong wire type and a tag beyond 32 bits', () => {
    // Field 1 (timeseries) as a varint instead of a length-delimited message.
    expect(() => readWriteRequest(Uint8Array.from([0x08, 0x01]))).toThrow(/wire type 0/);
    expect(() => readWriteRequest(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x7f]))).toThrow(/larger than 32 bits/);
  });
});
