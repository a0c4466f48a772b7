/* Reading server-sent events in tests: a real streaming read (Fastify's inject cannot stream). */

export interface SseEvent {
  event: string;
  data: string;
}

/** A real streaming read of a server-sent events response (inject cannot stream). */
export class SseReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  /** The next event (comments such as heartbeats skipped), or a failure after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        let hasData = false;
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) {
            event.event = line.slice(7);
          } else if (line.startsWith('data: ')) {
            event.data += line.slice(6);
            hasData = true;
          }
        }
        if (hasData) {
          return event;
        }
        continue;
      }
      const chunk = await this.readWithin(deadline - Date.now());
      if (chunk.done) {
        throw new Error('the event stream ended');
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private readWithin(ms: number): ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no event within the time limit')), Math.max(ms, 0));
    });
    return Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
  }
}
