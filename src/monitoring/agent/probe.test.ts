import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeTargets, probeReadings, tcpConnectRtt } from './probe.ts';

describe('network probes', () => {
  it('parses host:port lists and says which entry is wrong', () => {
    expect(parseProbeTargets('10.1.2.3:443, pop.example.cn:80,[::1]:8080')).toEqual([
      { host: '10.1.2.3', port: 443, target: '10.1.2.3:443' },
      { host: 'pop.example.cn', port: 80, target: 'pop.example.cn:80' },
      { host: '::1', port: 8080, target: '[::1]:8080' },
    ]);
    expect(parseProbeTargets('')).toEqual([]);
    expect(() => parseProbeTargets('10.1.2.3')).toThrow(/"10.1.2.3" is not host:port/);
    expect(() => parseProbeTargets('a:70000')).toThrow(/a:70000/);
  });

  it('parses peer=host:port with a compute ID or a city code as the peer, beside plain entries', () => {
    expect(parseProbeTargets('CN-140200-00001=10.1.2.3:443, 140100=pop-taiyuan.example.cn:80,[::1]:8080,110100=[2001:db8::1]:443')).toEqual([
      { host: '10.1.2.3', port: 443, target: '10.1.2.3:443', peer: 'CN-140200-00001' },
      { host: 'pop-taiyuan.example.cn', port: 80, target: 'pop-taiyuan.example.cn:80', peer: '140100' },
      { host: '::1', port: 8080, target: '[::1]:8080' },
      { host: '2001:db8::1', port: 443, target: '[2001:db8::1]:443', peer: '110100' },
    ]);
    expect(() => parseProbeTargets('taiyuan=10.1.2.3:443')).toThrow(/"taiyuan=10.1.2.3:443": the peer before "=" must be a compute ID/);
    expect(() => parseProbeTargets('14010=10.1.2.3:443')).toThrow(/compute ID \(CN-140200-00001\) or a 6-digit city code/);
    expect(() => parseProbeTargets('CN-1402-1=10.1.2.3:443')).toThrow(/the peer before "="/);
    expect(() => parseProbeTargets('=10.1.2.3:443')).toThrow(/the peer before "="/);
    expect(() => parseProbeTargets('140100=10.1.2.3')).toThrow(/"140100=10.1.2.3" is not host:port or peer=host:port/);
  });

  it('reports probe_rtt_ms for targets that answer and probe_up 0 for the others', async () => {
    const targets = parseProbeTargets('up:1,down:2');
    const readings = await probeReadings(targets, async (t) => (t.host === 'up' ? 1.23456 : null));
    expect(readings).toEqual([
      { metric: 'probe_up', labels: { target: 'up:1' }, value: 1 },
      { metric: 'probe_rtt_ms', labels: { target: 'up:1' }, value: 1.235 },
      { metric: 'probe_up', labels: { target: 'down:2' }, value: 0 },
    ]);
  });

  it('labels the readings of a peer entry with `peer` as well as `target`', async () => {
    const readings = await probeReadings(parseProbeTargets('140100=up:1,CN-140200-00003=down:2'), async (t) => (t.host === 'up' ? 4.5 : null));
    expect(readings).toEqual([
      { metric: 'probe_up', labels: { target: 'up:1', peer: '140100' }, value: 1 },
      { metric: 'probe_rtt_ms', labels: { target: 'up:1', peer: '140100' }, value: 4.5 },
      { metric: 'probe_up', labels: { target: 'down:2', peer: 'CN-140200-00003' }, value: 0 },
    ]);
  });

  describe('TCP connect on loopback', () => {
    let server: net.Server;
    let port = 0;
    let closedPort = 0;
    beforeAll(async () => {
      server = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
      // A port that was just free: nothing listens there now.
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      closedPort = (probe.address() as net.AddressInfo).port;
      await new Promise((resolve) => probe.close(resolve));
    });
    afterAll(async () => new Promise((resolve) => server.close(resolve)));

    it('measures the round trip to a listening port and gives null for a refused one', async () => {
      const rtt = await tcpConnectRtt({ host: '127.0.0.1', port, target: `127.0.0.1:${port}` });
      expect(rtt).not.toBeNull();
      expect(rtt!).toBeGreaterThanOrEqual(0);
      expect(rtt!).toBeLessThan(2000);
      expect(await tcpConnectRtt({ host: '127.0.0.1', port: closedPort, target: 'closed' })).toBeNull();
    });
  });
});
