// Schema pieces shared by the dialects' routes.
import { z } from 'zod';

export const ScreenSchema = z.object({
  width: z.number().int().min(200).max(7680),
  height: z.number().int().min(200).max(4320),
});

export const MetadataSchema = z.record(z.string(), z.unknown());

export const IdParams = z.object({ id: z.string().min(1).max(200) });

export const StatusSchema = z.enum(['active', 'terminated', 'expired']);
