// Contract of /browser/sessions/{id}/files (seed 003: files the uploadFile action takes): multipart
// and raw uploads, list, replace, delete, safe names, size limits, and the session's lifecycle.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

const KiB = 1024;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let navis: TestNavis;
let sessionId: string;
before(async () => {
  navis = await startNavis({ poolSize: 0, maxUploadBytes: 64 * KiB, maxSessionFilesBytes: 160 * KiB });
  sessionId = await createSession();
});
after(async () => {
  await navis.close();
});

async function createSession(key = ADMIN_KEY): Promise<string> {
  const res = await navis.request('POST', '/browser/sessions', { key, body: {} });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

/** A request whose body is not JSON text (multipart, bytes), which navis.request does not send. */
async function send(
  method: string,
  urlPath: string,
  init: { body?: BodyInit; headers?: Record<string, string>; key?: string } = {},
) {
  const res = await fetch(navis.base + urlPath, {
    method,
    body: init.body,
    headers: { 'x-api-key': init.key ?? ADMIN_KEY, ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

const uploadRaw = (
  id: string,
  content: string | Buffer,
  opts: { filename?: string; headers?: Record<string, string>; key?: string } = {},
) =>
  send(
    'POST',
    `/browser/sessions/${id}/files${opts.filename === undefined ? '' : `?filename=${encodeURIComponent(opts.filename)}`}`,
    {
      body: typeof content === 'string' ? content : new Uint8Array(content),
      headers: { 'content-type': 'application/octet-stream', ...opts.headers },
      key: opts.key,
    },
  );

function uploadMultipart(id: string, files: Record<string, string | Buffer>) {
  const form = new FormData();
  for (const [name, content] of Object.entries(files))
    form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return send('POST', `/browser/sessions/${id}/files`, { body: form });
}

const listFiles = (id: string) => send('GET', `/browser/sessions/${id}/files`);
const dirOf = (id: string) => path.join(navis.dataDir, 'files', id);
const onDisk = (id: string, name: string) => fs.readFileSync(path.join(dirOf(id), name), 'utf8');
/** Every entry of a session's dir, temp files included. */
const entriesOf = (id: string) => (fs.existsSync(dirOf(id)) ? fs.readdirSync(dirOf(id)).sort() : []);

function assertError(
  res: { status: number; body: any; text: string },
  status: number,
  code: string,
  error?: RegExp,
): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.code, code, res.text);
  assert.equal(typeof res.body.error, 'string');
  if (error) assert.match(res.body.error, error);
}

/** Every file under `root`, as paths relative to it. */
function walk(root: string, dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(root, full) : [path.relative(root, full)];
  });
}

describe('uploading', () => {
  test('a multipart body with two files saves both and answers 201 with their names and sizes', async () => {
    const res = await uploadMultipart(sessionId, { 'a.txt': 'alpha', 'b.csv': 'x,y\n1,2\n' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      res.body.files.map((f: any) => [f.filename, f.size]),
      [
        ['a.txt', 5],
        ['b.csv', 8],
      ],
    );
    for (const file of res.body.files) assert.match(file.createdAt, ISO_8601);
    assert.equal(onDisk(sessionId, 'a.txt'), 'alpha');
    assert.equal(onDisk(sessionId, 'b.csv'), 'x,y\n1,2\n');
  });

  test('a raw body named by ?filename= is saved under that name', async () => {
    const res = await uploadRaw(sessionId, 'raw bytes', { filename: 'raw.bin' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(
      res.body.files.map((f: any) => [f.filename, f.size]),
      [['raw.bin', 9]],
    );
    assert.equal(onDisk(sessionId, 'raw.bin'), 'raw bytes');
  });

  test('a raw body named by Content-Disposition is saved under that name', async () => {
    const res = await uploadRaw(sessionId, '%PDF-1.4', {
      headers: { 'content-disposition': 'attachment; filename="report 2024.pdf"' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.files[0].filename, 'report 2024.pdf');
    assert.equal(onDisk(sessionId, 'report 2024.pdf'), '%PDF-1.4');
  });

  test("Content-Disposition's filename* gives a UTF-8 name", async () => {
    const res = await uploadRaw(sessionId, 'euro', {
      headers: { 'content-disposition': `attachment; filename="e.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt` },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.files[0].filename, '€ rates.txt');
  });

  test('a raw JSON body is stored as a file, not parsed', async () => {
    const res = await uploadRaw(sessionId, '{"a":1}', {
      filename: 'data.json',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(onDisk(sessionId, 'data.json'), '{"a":1}');
  });

  test('the JSON routes next door still refuse bodies that are not JSON', async () => {
    const res = await navis.request('POST', '/browser/sessions', {
      rawBody: 'ttl=5',
      headers: { 'content-type': 'application/octet-stream' },
    });
    assertError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a raw body without a filename answers 400 INVALID_REQUEST saying how to name it', async () => {
    assertError(await uploadRaw(sessionId, 'nameless'), 400, 'INVALID_REQUEST', /\?filename=.*Content-Disposition/);
  });

  test('a multipart body without file parts answers 400 INVALID_REQUEST', async () => {
    const form = new FormData();
    form.append('note', 'just a field');
    assertError(
      await send('POST', `/browser/sessions/${sessionId}/files`, { body: form }),
      400,
      'INVALID_REQUEST',
      /no file part/,
    );
  });

  test('uploading the same name again replaces the file', async () => {
    await uploadRaw(sessionId, 'first version', { filename: 'same.txt' });
    const res = await uploadRaw(sessionId, 'v2', { filename: 'same.txt' });
    assert.equal(res.status, 201, res.text);
    const same = (await listFiles(sessionId)).body.files.filter((f: any) => f.filename === 'same.txt');
    assert.deepEqual(
      same.map((f: any) => f.size),
      [2],
    );
    assert.equal(onDisk(sessionId, 'same.txt'), 'v2');
  });
});

describe('listing and deleting', () => {
  test('GET lists every file with filename, size and createdAt', async () => {
    await uploadRaw(sessionId, '12345', { filename: 'listed.txt' });
    const res = await listFiles(sessionId);
    assert.equal(res.status, 200, res.text);
    const listed = res.body.files.find((f: any) => f.filename === 'listed.txt');
    assert.deepEqual(Object.keys(listed).sort(), ['createdAt', 'filename', 'size']);
    assert.equal(listed.size, 5);
    assert.match(listed.createdAt, ISO_8601);
  });

  test('DELETE answers 204, after which the file is gone and a second DELETE answers 404 FILE_NOT_FOUND', async () => {
    await uploadRaw(sessionId, 'bye', { filename: 'doomed.txt' });
    const res = await send('DELETE', `/browser/sessions/${sessionId}/files/doomed.txt`);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.ok(!(await listFiles(sessionId)).body.files.some((f: any) => f.filename === 'doomed.txt'));
    assertError(await send('DELETE', `/browser/sessions/${sessionId}/files/doomed.txt`), 404, 'FILE_NOT_FOUND');
  });

  test('GET of a file answers its bytes as an attachment that is never sniffed; an unknown name 404 FILE_NOT_FOUND', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 60, 104, 116, 109, 108, 62]);
    await uploadRaw(sessionId, bytes, { filename: '€ page.html' });
    const res = await fetch(`${navis.base}/browser/sessions/${sessionId}/files/${encodeURIComponent('€ page.html')}`, {
      headers: { 'x-api-key': ADMIN_KEY },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(
      res.headers.get('content-disposition'),
      `attachment; filename="_ page.html"; filename*=UTF-8''%E2%82%AC%20page.html`,
    );
    assertError(await send('GET', `/browser/sessions/${sessionId}/files/missing.txt`), 404, 'FILE_NOT_FOUND');
  });

  test("a link in the session's folder is never followed by a download: 404 FILE_NOT_FOUND", async () => {
    const outside = path.join(navis.dataDir, 'outside-secret.txt');
    fs.writeFileSync(outside, 'not for the page');
    fs.symlinkSync(outside, path.join(dirOf(sessionId), 'planted.txt'));
    const res = await send('GET', `/browser/sessions/${sessionId}/files/planted.txt`);
    assertError(res, 404, 'FILE_NOT_FOUND');
    assert.doesNotMatch(res.text, /not for the page/);
    fs.rmSync(path.join(dirOf(sessionId), 'planted.txt'));
  });

  test('a 255-byte name is kept whole and can be deleted by it', async () => {
    const name = `${'n'.repeat(251)}.txt`;
    const res = await uploadRaw(sessionId, 'long', { filename: name });
    assert.equal(res.body.files[0].filename, name, res.text);
    const del = await send('DELETE', `/browser/sessions/${sessionId}/files/${encodeURIComponent(name)}`);
    assert.equal(del.status, 204, del.text);
  });

  test('a longer name is cut to 255 bytes, keeping its extension', async () => {
    const res = await uploadRaw(sessionId, 'long', { filename: `${'é'.repeat(200)}.txt` });
    assert.equal(res.status, 201, res.text);
    const { filename } = res.body.files[0];
    assert.ok(Buffer.byteLength(filename) <= 255, filename);
    assert.match(filename, /^é+\.txt$/);
  });
});

describe('downloading', () => {
  const download = (id: string, name: string, key = ADMIN_KEY) =>
    fetch(`${navis.base}/browser/sessions/${id}/files/${encodeURIComponent(name)}`, { headers: { 'x-api-key': key } });

  test('a missing file answers 404 FILE_NOT_FOUND naming it in the body', async () => {
    const res = await download(sessionId, 'never-there.txt');
    const body = await res.json();
    assert.equal(res.status, 404);
    assert.equal(body.code, 'FILE_NOT_FOUND');
    assert.equal(body.filename, 'never-there.txt');
    assert.match(body.error, /GET \/browser\/sessions\/\{id\}\/files lists/);
  });

  test("another tenant's session and an unknown one answer 404 SESSION_NOT_FOUND", async () => {
    await uploadRaw(sessionId, 'mine', { filename: 'mine.txt' });
    const otherKey = await navis.newTenant('downloader');
    for (const res of [await download(sessionId, 'mine.txt', otherKey), await download(randomUUID(), 'mine.txt')]) {
      assert.equal(res.status, 404);
      assert.equal((await res.json()).code, 'SESSION_NOT_FOUND');
    }
  });
});

describe('unsafe filenames', () => {
  const cases: [given: string, stored: string][] = [
    ['../../etc/passwd', 'passwd'],
    ['..\\x', 'x'],
    ['/abs/path.txt', 'path.txt'],
    ['nul\0byte.txt', 'nulbyte.txt'],
    ['new\nline\r.txt', 'newline.txt'],
    ['.hidden', 'hidden'],
  ];
  let id: string;
  before(async () => {
    id = await createSession();
  });

  for (const [given, stored] of cases) {
    test(`${JSON.stringify(given)} is stored as ${JSON.stringify(stored)}`, async () => {
      const res = await uploadRaw(id, `content of ${stored}`, { filename: given });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.files[0].filename, stored);
      assert.equal(onDisk(id, stored), `content of ${stored}`);
    });
  }

  test('a multipart part named ../../evil.txt is stored as evil.txt', async () => {
    const res = await uploadMultipart(id, { '../../evil.txt': 'evil' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.files[0].filename, 'evil.txt');
  });

  test("nothing was written outside the session's files dir", () => {
    const sessionDir = path.relative(navis.dataDir, dirOf(id));
    const expected = [...cases.map(([, stored]) => stored), 'evil.txt']
      .map((name) => path.join(sessionDir, name))
      .sort();
    assert.deepEqual(
      walk(navis.dataDir)
        .filter((file) => file.startsWith(sessionDir + path.sep))
        .sort(),
      expected,
    );
    const names = new Set(['passwd', 'x', 'path.txt', 'evil.txt', 'nulbyte.txt', 'newline.txt', 'hidden']);
    const outside = walk(navis.dataDir).filter(
      (file) => !file.startsWith(sessionDir + path.sep) && names.has(path.basename(file)),
    );
    assert.deepEqual(outside, []);
    assert.ok(!fs.existsSync('/abs/path.txt'));
    assert.ok(!fs.existsSync(path.join(navis.dataDir, 'etc')));
  });

  test('a name with nothing usable left answers 400 INVALID_REQUEST saying which characters are allowed', async () => {
    for (const given of ['..', '../..', '/', '\0\n']) {
      assertError(await uploadRaw(id, 'x', { filename: given }), 400, 'INVALID_REQUEST', /may use letters, digits/);
    }
  });
});

describe('size limits', () => {
  let id: string;
  before(async () => {
    id = await createSession();
  });

  test('a file of exactly the limit (64 KiB) is accepted', async () => {
    const res = await uploadRaw(id, Buffer.alloc(64 * KiB, 1), { filename: 'exact.bin' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.files[0].size, 64 * KiB);
    assert.equal((await send('DELETE', `/browser/sessions/${id}/files/exact.bin`)).status, 204);
  });

  test('a raw body one byte over the limit answers 413 FILE_TOO_LARGE and leaves nothing on disk', async () => {
    const res = await uploadRaw(id, Buffer.alloc(64 * KiB + 1), { filename: 'big.bin' });
    assertError(res, 413, 'FILE_TOO_LARGE', /NAVIS_MAX_UPLOAD_BYTES/);
    assert.deepEqual(entriesOf(id), []);
  });

  test('a multipart file over the limit answers 413 FILE_TOO_LARGE and saves none of the files sent with it', async () => {
    const res = await uploadMultipart(id, { 'small.txt': 'fine', 'big.bin': Buffer.alloc(200 * KiB) });
    assertError(res, 413, 'FILE_TOO_LARGE', /big\.bin/);
    assert.deepEqual(entriesOf(id), []);
  });

  test('much larger raw and multipart bodies are refused too, and navis answers the next request', async () => {
    assertError(await uploadRaw(id, Buffer.alloc(8 * 1024 * KiB), { filename: 'huge.bin' }), 413, 'FILE_TOO_LARGE');
    assertError(await uploadMultipart(id, { 'huge.bin': Buffer.alloc(8 * 1024 * KiB) }), 413, 'FILE_TOO_LARGE');
    assert.deepEqual(entriesOf(id), []);
    assert.equal((await listFiles(id)).status, 200);
  });

  test("files past the session's total (160 KiB) answer 413, while replacing a file does not count it twice", async () => {
    for (const name of ['one.bin', 'two.bin']) {
      assert.equal((await uploadRaw(id, Buffer.alloc(60 * KiB), { filename: name })).status, 201);
    }
    assertError(
      await uploadRaw(id, Buffer.alloc(60 * KiB), { filename: 'three.bin' }),
      413,
      'FILE_TOO_LARGE',
      /NAVIS_MAX_SESSION_FILES_BYTES/,
    );
    assert.equal((await uploadRaw(id, Buffer.alloc(60 * KiB), { filename: 'two.bin' })).status, 201);
    assert.deepEqual(entriesOf(id), ['one.bin', 'two.bin']);
  });
});

describe('sessions the files belong to', () => {
  test('an unknown session answers 404 SESSION_NOT_FOUND to upload, list and delete', async () => {
    const id = randomUUID();
    assertError(await uploadRaw(id, 'x', { filename: 'x.txt' }), 404, 'SESSION_NOT_FOUND');
    assertError(await listFiles(id), 404, 'SESSION_NOT_FOUND');
    assertError(await send('DELETE', `/browser/sessions/${id}/files/x.txt`), 404, 'SESSION_NOT_FOUND');
    assert.ok(!fs.existsSync(dirOf(id)));
  });

  test("another tenant's session answers 404 SESSION_NOT_FOUND", async () => {
    const otherKey = await navis.newTenant('other');
    assertError(await uploadRaw(sessionId, 'x', { filename: 'intruder.txt', key: otherKey }), 404, 'SESSION_NOT_FOUND');
    assertError(await send('GET', `/browser/sessions/${sessionId}/files`, { key: otherKey }), 404, 'SESSION_NOT_FOUND');
    assertError(
      await send('GET', `/browser/sessions/${sessionId}/files/a.txt`, { key: otherKey }),
      404,
      'SESSION_NOT_FOUND',
    );
    assertError(
      await send('DELETE', `/browser/sessions/${sessionId}/files/a.txt`, { key: otherKey }),
      404,
      'SESSION_NOT_FOUND',
    );
    assert.ok(!fs.existsSync(path.join(dirOf(sessionId), 'intruder.txt')));
  });

  test('terminating a session removes its files dir, and its files then answer 410 SESSION_ENDED', async () => {
    const id = await createSession();
    assert.equal((await uploadRaw(id, 'soon gone', { filename: 'temp.txt' })).status, 201);
    assert.ok(fs.existsSync(dirOf(id)));
    assert.equal((await navis.request('POST', `/public/sessions/${id}/terminate`)).status, 204);
    assert.ok(!fs.existsSync(dirOf(id)));
    assertError(await uploadRaw(id, 'x', { filename: 'late.txt' }), 410, 'SESSION_ENDED');
    assertError(await listFiles(id), 410, 'SESSION_ENDED');
    assert.ok(!fs.existsSync(dirOf(id)));
  });

  for (const end of ['terminated', 'deleted'] as const) {
    test(`an upload still streaming when its session is ${end} answers ${end === 'terminated' ? '410' : '404'}, and nothing stays on disk`, async () => {
      const id = await createSession();
      const url = new URL(`/browser/sessions/${id}/files?filename=racing.txt`, navis.base);
      const request = http.request(url, {
        method: 'POST',
        headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/octet-stream', 'content-length': '8' },
      });
      const answered = new Promise<{ status: number; body: any }>((resolve, reject) => {
        request.once('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.once('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        request.once('error', reject);
      });
      request.write('half');
      await waitFor(() => entriesOf(id).some((name) => name.startsWith('.')), 'the upload to reach its temp file');
      const ended =
        end === 'terminated'
          ? await navis.request('POST', `/public/sessions/${id}/terminate`)
          : await navis.request('DELETE', `/public/sessions/${id}`);
      assert.equal(ended.status, 204, ended.text);
      request.end('full');
      const res = await answered;
      if (end === 'terminated') assert.equal(res.body.code, 'SESSION_ENDED', JSON.stringify(res.body));
      else assert.equal(res.body.code, 'SESSION_NOT_FOUND', JSON.stringify(res.body));
      assert.ok(!fs.existsSync(dirOf(id)), `nothing left: ${entriesOf(id).join(', ')}`);
    });
  }
});

describe('pathOf, for the uploadFile action', () => {
  test('gives the absolute path of an uploaded file inside the session dir', async () => {
    await uploadRaw(sessionId, 'pick me', { filename: 'pick.txt' });
    const file = navis.navis.services.files.pathOf(sessionId, 'pick.txt');
    assert.equal(file, path.join(dirOf(sessionId), 'pick.txt'));
    assert.ok(path.isAbsolute(file));
  });

  test('answers FILE_NOT_FOUND telling to upload the file first', () => {
    assert.throws(
      () => navis.navis.services.files.pathOf(sessionId, 'never.txt'),
      (error: any) => {
        assert.equal(error.code, 'FILE_NOT_FOUND');
        assert.match(error.message, /Upload it first via POST \/browser\/sessions\/\{id\}\/files/);
        return true;
      },
    );
  });
});
