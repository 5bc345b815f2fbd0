import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { badRequest } from '../errors.ts';
import { readWriteRequest, seriesLabels } from './wire.ts';

// int64 fields decode to plain numbers instead of long.js objects: millisecond timestamps fit in a
// double, and a Long per sample costs more than the rest of the decoding. (Process-wide setting of
// protobufjs; Suanli uses protobufjs only here.)
protobuf.util.Long = null as never;
protobuf.configure();

/**
 * Prometheus remote_write 1.0 wire format (prompb/remote.proto, types.proto), declared with
 * protobufjs' reflection API instead of generated code. Used to build requests (tests, the
 * benchmark, the crash test) and as the reference the ingest path's hand-written reader (wire.ts)
 * is tested against; the server reads requests with wire.ts.
 */
const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        MetricMetadata: {
          fields: {
            type: { type: 'int32', id: 1 },
            metricFamilyName: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
        },
      },
    },
  },
});

export const WriteRequestType = root.lookupType('prometheus.WriteRequest');

export interface WireLabel {
  name: string;
  value: string;
}
export interface WireSample {
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}
export interface WireTimeSeries {
  labels: WireLabel[];
  samples: WireSample[];
}
export interface WriteRequest {
  timeseries: WireTimeSeries[];
  metadataCount: number;
}

/** The largest uncompressed request accepted: Prometheus sends ~ 2,000 samples (a few hundred KB). */
export const MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Snappy block format → bytes; a broken frame is the sender's mistake and will never succeed (400). */
export function decompressSnappy(body: Buffer, maxBytes = MAX_UNCOMPRESSED_BYTES): Buffer {
  if (body.length === 0) throw badRequest('INVALID_SNAPPY', 'The body is empty: send a snappy-compressed (block format) protobuf WriteRequest.');
  try {
    return snappy.uncompress(body, maxBytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/too big/.test(reason)) {
      throw badRequest('BODY_TOO_LARGE', `The uncompressed request is larger than ${maxBytes} bytes: lower queue_config.max_samples_per_send.`);
    }
    throw badRequest('INVALID_SNAPPY', `The body is not a snappy block-compressed frame (${reason}): remote_write sends Content-Encoding: snappy.`);
  }
}

/**
 * Protobuf bytes → WriteRequest with decoded labels; bytes that are not a WriteRequest are the
 * sender's mistake (400). The ingest path reads the raw form (wire.ts) and decodes labels only for
 * series it has not seen; this is the same reader with every label decoded.
 */
export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  const raw = readWriteRequest(bytes);
  const timeseries = raw.series.map((series) => ({
    labels: seriesLabels(raw.buffer, series),
    samples: series.timestamps.map((timestamp, i) => ({ value: series.values[i], timestamp })),
  }));
  return { timeseries, metadataCount: raw.metadataCount };
}

/** What Prometheus does: encode and snappy-compress (tests and the benchmark build requests with it). */
export function encodeWriteRequest(request: { timeseries: WireTimeSeries[] }): Buffer {
  const bytes = WriteRequestType.encode(WriteRequestType.fromObject(request)).finish();
  return Buffer.from(snappy.compress(Buffer.from(bytes)));
}
