/**
 * WuKongIM's binary client protocol (wkproto), the frames a test client needs:
 * CONNECT, CONNACK, RECV, RECVACK, PING/PONG, DISCONNECT. Shapes as in main's
 * pkg/protocol/codec (b249d3a). A frame is one fixed-header byte (type << 4 |
 * flags), the body length as an MQTT-style varint, then the body; integers are
 * big-endian, strings are int16 length + bytes.
 */
export const FrameType = { CONNECT: 1, CONNACK: 2, SEND: 3, SENDACK: 4, RECV: 5, RECVACK: 6, PING: 7, PONG: 8, DISCONNECT: 9 } as const;

/** 6 = MessageSeqU64Version: message seqs are uint64 (5 and below: uint32). */
export const PROTO_VERSION = 6;
/** RECV setting bits. */
const SETTING_NO_ENCRYPT = 1 << 4;
const SETTING_TOPIC = 1 << 3;

export interface Connack {
  type: typeof FrameType.CONNACK;
  reasonCode: number;
  serverKey: string;
  salt: string;
}
export interface Recv {
  type: typeof FrameType.RECV;
  header: { noPersist: boolean; redDot: boolean; syncOnce: boolean };
  setting: number;
  encrypted: boolean;
  msgKey: string;
  fromUid: string;
  channelId: string;
  channelType: number;
  clientMsgNo: string;
  /** Decimal string: ids exceed 2^53. */
  messageId: string;
  messageSeq: number;
  timestamp: number;
  payload: Buffer;
}
export type Frame = Connack | Recv | { type: number };

class Writer {
  private parts: Buffer[] = [];
  u8(v: number) {
    this.parts.push(Buffer.from([v]));
  }
  i64(v: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
  }
  u64(v: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(v);
    this.parts.push(b);
  }
  str(s: string) {
    const bytes = Buffer.from(s, "utf8");
    const len = Buffer.alloc(2);
    len.writeInt16BE(bytes.length);
    this.parts.push(len, bytes);
  }
  frame(type: number, flags = 0): Buffer {
    const body = Buffer.concat(this.parts);
    const len: number[] = [];
    let size = body.length;
    while (size > 0) {
      let digit = size % 0x80;
      size = Math.floor(size / 0x80);
      if (size > 0) digit |= 0x80;
      len.push(digit);
    }
    return Buffer.concat([Buffer.from([(type << 4) | flags, ...len]), body]);
  }
}

class Reader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  u8() {
    return this.b.readUInt8(this.at++);
  }
  u32() {
    const v = this.b.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  i32() {
    const v = this.b.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  i64() {
    const v = this.b.readBigInt64BE(this.at);
    this.at += 8;
    return v;
  }
  u64() {
    const v = this.b.readBigUInt64BE(this.at);
    this.at += 8;
    return v;
  }
  str() {
    const len = this.b.readInt16BE(this.at);
    this.at += 2;
    const s = this.b.subarray(this.at, this.at + len).toString("utf8");
    this.at += len;
    return s;
  }
  rest() {
    return this.b.subarray(this.at);
  }
}

export function encodeConnect(c: { uid: string; token: string; deviceFlag: number; deviceId: string; clientKey: string }): Buffer {
  const w = new Writer();
  w.u8(PROTO_VERSION);
  w.u8(c.deviceFlag);
  w.str(c.deviceId);
  w.str(c.uid);
  w.str(c.token);
  w.i64(BigInt(Date.now()));
  w.str(c.clientKey);
  return w.frame(FrameType.CONNECT);
}

export function encodeRecvack(messageId: string, messageSeq: number): Buffer {
  const w = new Writer();
  w.i64(BigInt(messageId));
  w.u64(BigInt(messageSeq));
  return w.frame(FrameType.RECVACK);
}

export const PING = Buffer.from([FrameType.PING << 4]);

/** Splits `buf` into whole frames; returns them and the bytes of an unfinished one. */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  while (at < buf.length) {
    const head = buf[at];
    const type = head >> 4;
    if (type === FrameType.PING || type === FrameType.PONG) {
      frames.push({ type });
      at += 1;
      continue;
    }
    let len = 0;
    let shift = 0;
    let i = at + 1;
    for (;;) {
      if (i >= buf.length) return { frames, rest: buf.subarray(at) };
      const digit = buf[i++];
      len += (digit & 0x7f) * 2 ** shift;
      if ((digit & 0x80) === 0) break;
      shift += 7;
    }
    if (i + len > buf.length) return { frames, rest: buf.subarray(at) };
    frames.push(decodeBody(head, buf.subarray(i, i + len)));
    at = i + len;
  }
  return { frames, rest: Buffer.alloc(0) };
}

function decodeBody(head: number, body: Buffer): Frame {
  const type = head >> 4;
  const r = new Reader(body);
  if (type === FrameType.CONNACK) {
    // Bit 0 of a CONNACK's header: a server version byte leads (sent when CONNECT's version > 3).
    if (head & 1) r.u8();
    r.i64(); // time diff
    const reasonCode = r.u8();
    return { type, reasonCode, serverKey: r.str(), salt: r.str() };
  }
  if (type === FrameType.RECV) {
    const setting = r.u8();
    const msgKey = r.str();
    const fromUid = r.str();
    const channelId = r.str();
    const channelType = r.u8();
    r.u32(); // expire (version >= 3)
    const clientMsgNo = r.str();
    const messageId = r.i64().toString();
    const messageSeq = Number(r.u64());
    const timestamp = r.i32();
    if (setting & SETTING_TOPIC) r.str();
    return {
      type,
      header: { noPersist: (head & 1) > 0, redDot: (head & 2) > 0, syncOnce: (head & 4) > 0 },
      setting,
      encrypted: (setting & SETTING_NO_ENCRYPT) === 0,
      msgKey,
      fromUid,
      channelId,
      channelType,
      clientMsgNo,
      messageId,
      messageSeq,
      timestamp,
      payload: Buffer.from(r.rest()),
    };
  }
  return { type };
}
