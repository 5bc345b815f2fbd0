import { badRequest } from '../errors.ts';

/**
 * A hand-written reader of the remote_write 1.0 `WriteRequest` (prompb/remote.proto, types.proto)
 * for the ingest hot path. It reads samples into plain arrays and leaves each series' labels as
 * bytes: Prometheus encodes a series' labels identically in every request, so those bytes identify
 * the series, and the labels are decoded and validated only the first time a series is seen
 * (service.ts caches the series ids by these bytes). Unknown fields are skipped as protobuf
 * requires; a known field with the wrong wire type, a truncated field or a group is INVALID_PROTOBUF.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 */
export interface RawSeries {
  /** The label fields' bytes (tags included) as a latin1 string: the series' identity as sent. */
  labelKey: string;
  /** Where each label field's content (the Label message) starts and ends in the buffer. */
  labelRanges: number[];
  timestamps: number[];
  values: number[];
}

export interface RawWriteRequest {
  buffer: Buffer;
  series: RawSeries[];
  metadataCount: number;
}

const invalid = (reason: string) => badRequest('INVALID_PROTOBUF', `The body is not a protobuf prometheus.WriteRequest (${reason}).`);

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

/** A cursor over one protobuf message; all reads are bounds-checked against `end`. */
class Reader {
  buffer: Buffer;
  pos: number;
  end: number;
  constructor(buffer: Buffer, pos: number, end: number) {
    this.buffer = buffer;
    this.pos = pos;
    this.end = end;
  }

  /** A varint of at most 32 significant bits (tags and lengths). */
  uint32(): number {
    const { buffer, end } = this;
    let result = 0;
    let shift = 0;
    while (true) {
      if (this.pos >= end) throw invalid('a varint runs past the end of its message');
      const byte = buffer[this.pos++];
      if (shift < 28) result |= (byte & 0x7f) << shift;
      else if (shift === 28 && (byte & 0x70) === 0) result += (byte & 0x0f) * 2 ** 28;
      else throw invalid('a tag or length is larger than 32 bits');
      if (byte < 0x80) return result;
      shift += 7;
    }
  }

  /** A varint read as a signed 64-bit integer (int64), as a double: exact up to 2^53. */
  int64(): number {
    const { buffer, end } = this;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    while (true) {
      if (this.pos >= end) throw invalid('a varint runs past the end of its message');
      const byte = buffer[this.pos++];
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else if (shift < 64) hi |= bits << (shift - 32);
      else throw invalid('a varint is longer than 10 bytes');
      if (byte < 0x80) break;
      shift += 7;
    }
    lo >>>= 0;
    if (hi & 0x80000000) {
      // Two's complement: -(~value + 1).
      const nlo = ~lo >>> 0;
      const nhi = ~hi >>> 0;
      return -(nhi * 2 ** 32 + nlo + 1);
    }
    return (hi >>> 0) * 2 ** 32 + lo;
  }

  /** The end of a length-delimited field whose length comes next. */
  lengthEnd(): number {
    const length = this.uint32();
    const to = this.pos + length;
    if (to > this.end) throw invalid('a length-delimited field runs past the end of its message');
    return to;
  }

  skip(wireType: number) {
    switch (wireType) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_I64:
        this.pos += 8;
        break;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        this.pos += 4;
        break;
      default:
        throw invalid(`wire type ${wireType} is not used by proto3`);
    }
    if (this.pos > this.end) throw invalid('a fixed-width field runs past the end of its message');
  }
}

function expectWireType(field: string, wireType: number, expected: number) {
  if (wireType !== expected) throw invalid(`${field} has wire type ${wireType}, not ${expected}`);
}

function readTimeSeries(buffer: Buffer, start: number, end: number): RawSeries {
  const reader = new Reader(buffer, start, end);
  const labelRanges: number[] = [];
  const timestamps: number[] = [];
  const values: number[] = [];
  // The label fields are normally one contiguous run; otherwise their pieces are joined.
  let runStart = -1;
  let runEnd = -1;
  let labelKey = '';
  while (reader.pos < end) {
    const fieldStart = reader.pos;
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1) {
      expectWireType('TimeSeries.labels', wireType, WIRE_LEN);
      const to = reader.lengthEnd();
      labelRanges.push(reader.pos, to);
      if (runEnd !== fieldStart) {
        if (runStart >= 0) labelKey += buffer.toString('latin1', runStart, runEnd);
        runStart = fieldStart;
      }
      runEnd = to;
      reader.pos = to;
    } else if (field === 2) {
      expectWireType('TimeSeries.samples', wireType, WIRE_LEN);
      const to = reader.lengthEnd();
      let value = 0;
      let timestamp = 0;
      const sample = new Reader(buffer, reader.pos, to);
      while (sample.pos < to) {
        const sampleTag = sample.uint32();
        const sampleField = sampleTag >>> 3;
        const sampleWire = sampleTag & 7;
        if (sampleField === 1) {
          expectWireType('Sample.value', sampleWire, WIRE_I64);
          if (sample.pos + 8 > to) throw invalid('Sample.value runs past the end of its message');
          value = buffer.readDoubleLE(sample.pos);
          sample.pos += 8;
        } else if (sampleField === 2) {
          expectWireType('Sample.timestamp', sampleWire, WIRE_VARINT);
          timestamp = sample.int64();
        } else sample.skip(sampleWire);
      }
      timestamps.push(timestamp);
      values.push(value);
      reader.pos = to;
    } else reader.skip(wireType);
  }
  if (runStart >= 0) labelKey += buffer.toString('latin1', runStart, runEnd);
  return { labelKey, labelRanges, timestamps, values };
}

/** Decoded (uncompressed) protobuf bytes → the series with their samples; labels stay bytes. */
export function readWriteRequest(bytes: Uint8Array): RawWriteRequest {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const reader = new Reader(buffer, 0, buffer.length);
  const series: RawSeries[] = [];
  let metadataCount = 0;
  while (reader.pos < buffer.length) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) throw invalid('field number 0');
    if (field === 1) {
      expectWireType('WriteRequest.timeseries', wireType, WIRE_LEN);
      const to = reader.lengthEnd();
      series.push(readTimeSeries(buffer, reader.pos, to));
      reader.pos = to;
    } else if (field === 3) {
      expectWireType('WriteRequest.metadata', wireType, WIRE_LEN);
      reader.pos = reader.lengthEnd();
      metadataCount += 1;
    } else reader.skip(wireType);
  }
  return { buffer, series, metadataCount };
}

/** The labels of one series (UTF-8 decoded), read from the bytes `readWriteRequest` left in place. */
export function seriesLabels(buffer: Buffer, series: RawSeries): { name: string; value: string }[] {
  const labels: { name: string; value: string }[] = [];
  const ranges = series.labelRanges;
  for (let i = 0; i < ranges.length; i += 2) {
    const reader = new Reader(buffer, ranges[i], ranges[i + 1]);
    let name = '';
    let value = '';
    while (reader.pos < reader.end) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 || field === 2) {
        expectWireType(field === 1 ? 'Label.name' : 'Label.value', wireType, WIRE_LEN);
        const to = reader.lengthEnd();
        const text = buffer.toString('utf8', reader.pos, to);
        if (field === 1) name = text;
        else value = text;
        reader.pos = to;
      } else reader.skip(wireType);
    }
    labels.push({ name, value });
  }
  return labels;
}
