/*
 * A TCP relay that adds a fixed delay each way, as a stand-in for a network
 * round trip between Backstage and an apiserver. This machine's kernel has no
 * netem (nor an EDT-capable qdisc), so the delay is added here, in its own
 * process so that it does not share the measured backend's event loop.
 *
 * Forked by measure.ts with the target port and the one-way delay:
 *
 *   delayProxy.ts <targetPort> <oneWayMs>   → sends { delayProxyPort } to its parent
 *
 * Like a real link: every chunk, either way, arrives oneWayMs after it was
 * sent (order kept), and a new connection costs one round trip before its
 * first byte (the TCP handshake). TLS stays end to end: the relay sees bytes.
 */
import net from 'net';

/** Passes chunks on `delayMs` after they arrive, in order. */
function delayedPipe(from: net.Socket, to: net.Socket, delayMs: number) {
  from.on('data', chunk => {
    setTimeout(() => to.write(chunk), delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
}

function main() {
  const [targetPort, oneWay] = process.argv.slice(2).map(Number);
  if (!targetPort || !(oneWay >= 0))
    throw new Error('usage: delayProxy.ts <targetPort> <oneWayMs>');

  const server = net.createServer(client => {
    client.setNoDelay(true);
    client.pause();
    // The handshake's round trip, before anything flows.
    setTimeout(() => {
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        upstream.setNoDelay(true);
        delayedPipe(client, upstream, oneWay);
        delayedPipe(upstream, client, oneWay);
        client.resume();
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', close);
      client.on('error', close);
      upstream.on('close', () => setTimeout(() => client.destroy(), oneWay));
      client.on('close', () => setTimeout(() => upstream.destroy(), oneWay));
    }, 2 * oneWay);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    process.send?.({ delayProxyPort: port });
  });
  process.on('disconnect', () => process.exit(0));
}

main();
