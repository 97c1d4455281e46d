// What every resource uses to call navis: the openapi-fetch client typed by schema.ts, and the
// three ways an answer is read (JSON, bytes, NDJSON lines), each turning a refusal into a NavisError.
import type { Client } from 'openapi-fetch';
import { NavisError } from './errors.js';
import type { paths } from './schema.js';

export type Api = Client<paths>;

type Answer<T> = { data?: T; error?: unknown; response: Response };

export class Http {
  constructor(
    readonly api: Api,
    readonly baseUrl: string,
  ) {}

  /** The answer's body (undefined for a 204), or the NavisError it stands for. */
  async json<T>(request: Promise<Answer<T>>): Promise<T> {
    const { data, error, response } = await this.reach(request);
    if (!response.ok) throw NavisError.fromAnswer(response, error);
    return data as T;
  }

  /** The answer's bytes (asked for with parseAs: 'arrayBuffer'). */
  async bytes(request: Promise<Answer<unknown>>): Promise<Uint8Array> {
    return new Uint8Array((await this.json(request)) as ArrayBuffer);
  }

  /** Each JSON line of an NDJSON answer (asked for with parseAs: 'stream'), as it arrives. */
  async *lines(request: Promise<Answer<unknown>>): AsyncGenerator<unknown> {
    const body = (await this.json(request)) as ReadableStream<Uint8Array> | null;
    if (!body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    const reader = body.getReader(); // not `for await`: not every browser iterates a ReadableStream
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffered += decoder.decode(read.value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, end).trim();
          buffered = buffered.slice(end + 1);
          if (line) yield JSON.parse(line);
        }
      }
      buffered += decoder.decode();
      if (buffered.trim()) yield JSON.parse(buffered);
    } finally {
      // A caller that stops early (break, throw) closes the connection instead of leaving it open.
      await reader.cancel().catch(() => {});
    }
  }

  /** A request that could not reach navis is a NavisError with status 0 saying where it tried. */
  private async reach<T>(request: Promise<Answer<T>>): Promise<Answer<T>> {
    try {
      return await request;
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch's own failure to connect is a TypeError
      const why = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new NavisError(
        0,
        `Could not reach navis at ${this.baseUrl} (${why?.code ?? why?.message ?? error.message}). Is it running? Pass baseUrl to new Navis({ baseUrl }).`,
        { cause: error },
      );
    }
  }
}
