import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.ts';

export interface Upload {
  fileName: string;
  contentType: string;
  data: Buffer;
  /** The text fields sent with the file. */
  fields: Record<string, string>;
}

/**
 * Reads the one uploaded file (field `file`), with its declared type, and the text fields of a multipart
 * request; `what` names the upload in the error for a request that is not multipart.
 */
export async function readUpload(request: FastifyRequest, what: string): Promise<Upload> {
  if (!request.isMultipart()) {
    throw new AppError('unsupported_type', `Upload ${what} as multipart/form-data with a field "file".`, {
      field: 'file',
    });
  }
  let file: Omit<Upload, 'fields'> | null = null;
  const fields: Record<string, string> = {};
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || file) {
        await part.toBuffer();
        throw new AppError('validation_failed', 'Send exactly one file, in the field "file".', {
          field: 'file',
        });
      }
      file = { fileName: part.filename, contentType: part.mimetype, data: await part.toBuffer() };
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) {
    throw new AppError('validation_failed', 'No file was uploaded (field "file").', { field: 'file' });
  }
  return { ...file, fields };
}
