// Run Task (seed 003) and the PDF and screenshot endpoints of the Browser Session API.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ActionSchema, WaitUntilSchema } from '../../actions/schemas.js';
import { PdfOptionsSchema, ScreenshotOptionsSchema } from '../../tasks/artifacts.js';
import type { TaskService } from '../../tasks/service.js';
import { BINARY } from '../openapi.js';
import { IdParams } from '../schemas.js';
import { clientGone } from '../cancel.js';

export const TaskBody = z.object({
  url: z.string().min(1).optional().describe('Optional URL to navigate to before running actions'),
  waitUntil: WaitUntilSchema.optional().describe('Wait condition for the initial navigation (default load)'),
  actions: z.array(ActionSchema).max(500).default([]).describe('Sequential list of actions to execute'),
  screenshot: ScreenshotOptionsSchema.pick({ fullPage: true, selector: true })
    .optional()
    .describe('When present, a screenshot is taken after all actions'),
  pdf: PdfOptionsSchema.optional().describe('When present, a PDF is rendered after all actions (base64)'),
  content: z.boolean().optional().describe('When true, returns { html, url } of the final page'),
});

const StepLogEntry = z.object({
  index: z.number().int().nullable().describe("The action's index in actions; null for the task's own url"),
  type: z.string(),
  status: z.enum(['ok', 'failed']),
  startedAt: z.string(),
  durationMs: z.number(),
  detail: z.string().optional(),
  error: z.string().optional(),
});

const TaskResponse = z.object({
  url: z.string().describe('Effective URL of the active tab after all actions'),
  screenshot: z.string().optional().describe('Base64-encoded PNG'),
  pdf: z.string().optional().describe('Base64-encoded PDF'),
  content: z.object({ html: z.string(), url: z.string() }).optional(),
  actionResults: z.array(z.record(z.string(), z.unknown())).describe('One entry per action, in order'),
  stepLog: z.array(StepLogEntry),
});

const Navigation = { url: z.string().min(1).optional(), waitUntil: WaitUntilSchema.optional() };
const PageUrl = z.string().describe('URL of the page it was taken of');

const PdfAnswer = {
  description: 'The PDF: its bytes when Accept asks for application/pdf, else base64 in JSON',
  content: {
    'application/json': { schema: z.object({ pdf: z.string().describe('Base64-encoded PDF'), url: PageUrl }) },
    'application/pdf': { schema: BINARY },
  },
};
const ScreenshotAnswer = {
  description: 'The image: its bytes when Accept asks for image/*, else base64 in JSON',
  content: {
    'application/json': {
      schema: z.object({
        screenshot: z.string().describe('Base64-encoded PNG (or JPEG with type jpeg)'),
        url: PageUrl,
      }),
    },
    'image/png': { schema: BINARY },
    'image/jpeg': { schema: BINARY.describe('With type: jpeg') },
  },
};
const tags = ['tasks (browser)'];

/** Binary when the client asks for it with Accept, base64 JSON otherwise. */
const wantsBinary = (req: FastifyRequest, mime: string) =>
  (req.headers.accept ?? '').split(',').some((t) => t.trim().startsWith(mime));

export async function browserTaskRoutes(app: FastifyInstance, { tasks }: { tasks: TaskService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/sessions/:id/tasks',
    { schema: { tags, summary: 'Run Task', params: IdParams, body: TaskBody, response: { 201: TaskResponse } } },
    async (req, reply) =>
      reply.code(201).send(await tasks.run(req.caller.tenantId, req.params.id, req.body, clientGone(reply))),
  );

  r.post(
    '/sessions/:id/pdf',
    {
      schema: {
        tags,
        summary: 'Render the current page (or url) as PDF; Accept: application/pdf for raw bytes',
        params: IdParams,
        body: PdfOptionsSchema.extend(Navigation).nullish(),
        response: { 200: PdfAnswer },
      },
    },
    async (req, reply) => {
      const { pdf, url } = await tasks.pdf(req.caller.tenantId, req.params.id, req.body ?? {}, clientGone(reply));
      if (wantsBinary(req, 'application/pdf')) return reply.type('application/pdf').send(pdf);
      return { pdf: pdf.toString('base64'), url };
    },
  );

  r.post(
    '/sessions/:id/screenshot',
    {
      schema: {
        tags,
        summary: 'Screenshot of the current page (or url); Accept: image/* for raw bytes',
        params: IdParams,
        body: ScreenshotOptionsSchema.extend(Navigation).nullish(),
        response: { 200: ScreenshotAnswer },
      },
    },
    async (req, reply) => {
      const body = req.body ?? {};
      const { image, url } = await tasks.screenshot(req.caller.tenantId, req.params.id, body, clientGone(reply));
      if (wantsBinary(req, 'image/')) return reply.type(body.type === 'jpeg' ? 'image/jpeg' : 'image/png').send(image);
      return { screenshot: image.toString('base64'), url };
    },
  );
}
