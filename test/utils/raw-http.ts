import { connect, type Socket } from 'node:net';

/**
 * HTTP over a bare socket, for what fetch and supertest cannot do: send a request in pieces (slow headers, a slow
 * body), keep one connection open between requests, and see whether the server closed it.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  send(text: string): void;
  /** The next complete response (Content-Length framed), or an error if the connection ends first. */
  response(timeoutMs?: number): Promise<RawResponse>;
  /** Resolves when the server has closed the connection; rejects after `timeoutMs`. */
  closed(timeoutMs?: number): Promise<void>;
}

export function openConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let ended = false;
    const waiters: (() => void)[] = [];
    const wake = (): void => {
      for (const waiter of waiters.splice(0)) waiter();
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      wake();
    });
    socket.on('close', () => {
      ended = true;
      wake();
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      // A reset after the test has what it needs is not a failure of the test.
      socket.on('error', () => undefined);
      resolve({
        socket,
        send: (text) => socket.write(text),
        response: (timeoutMs = 15_000) =>
          until(timeoutMs, 'a response', waiters, () => {
            const parsed = parseResponse(received);
            if (parsed) {
              received = received.slice(parsed.length);
              return parsed.response;
            }
            if (ended)
              throw new Error(`Connection closed before a full response: ${JSON.stringify(received)}`);
            return undefined;
          }),
        closed: async (timeoutMs = 5_000) => {
          await until(timeoutMs, 'the connection to close', waiters, () => (ended ? true : undefined));
        },
      });
    });
  });
}

/** Runs `check` now and after every event on the socket until it answers something other than undefined. */
function until<T>(
  timeoutMs: number,
  what: string,
  waiters: (() => void)[],
  check: () => T | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const attempt = (): void => {
      try {
        const value = check();
        if (value === undefined) {
          waiters.push(attempt);
          return;
        }
        clearTimeout(timer);
        resolve(value);
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    attempt();
  });
}

function parseResponse(text: string): { response: RawResponse; length: number } | undefined {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, headEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyLength = Number(headers['content-length'] ?? 0);
  if (Buffer.byteLength(text.slice(headEnd + 4)) < bodyLength) return undefined;
  const body = text.slice(headEnd + 4, headEnd + 4 + bodyLength);
  return {
    response: { status: Number(statusLine.split(' ')[1]), headers, body },
    length: headEnd + 4 + body.length,
  };
}

/** Whether a new TCP connection to the port is refused (the server no longer listens). */
export function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}
