import { DetachedMessage } from './consumed-message';

describe(DetachedMessage.name, () => {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

  it('gives back exactly the bytes it was made from, key, value and headers, after the originals change', () => {
    const key = Buffer.from('feed/rec-1');
    const value = Buffer.concat([everyByte, Buffer.from('é🙂', 'utf8')]);
    const headers = { 'event-type': Buffer.from('PersonObserved'), traceparent: Buffer.from('00-abc-def-01'), many: [Buffer.from([0xff, 0x00]), Buffer.from('b')] };
    const message = new DetachedMessage('topic', 3, '42', key, value, headers, '1700000000000');
    const expected = { key: Buffer.from(key), value: Buffer.from(value) };
    // what becomes of the fetched buffer afterwards must not reach the message
    key.fill(0);
    value.fill(0);
    headers['event-type'].fill(0);
    expect(message.key).toEqual(expected.key);
    expect(message.value).toEqual(expected.value);
    expect(message.headers).toEqual({ 'event-type': Buffer.from('PersonObserved'), traceparent: Buffer.from('00-abc-def-01'), many: [Buffer.from([0xff, 0x00]), Buffer.from('b')] });
    expect([message.topic, message.partition, message.offset, message.timestamp]).toEqual(['topic', 3, '42', '1700000000000']);
  });

  it('keeps nulls as nulls and skips undefined headers', () => {
    const message = new DetachedMessage('t', 0, '0', null, null, { gone: undefined, text: 'plain' }, '0');
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
    expect(message.headers).toEqual({ text: Buffer.from('plain') });
  });

  it('gives a fresh buffer on every read, so that a handler that changes one changes nothing else', () => {
    const message = new DetachedMessage('t', 0, '0', null, Buffer.from('abc'), {}, '0');
    message.value!.fill(0x7a);
    expect(message.value).toEqual(Buffer.from('abc'));
    expect(message.value).not.toBe(message.value);
  });
});
