import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Keys the forum generates for itself and every process must share, kept in the database so they
 * travel with the data (a restore brings back the key that matches its hashes).
 */
const serverKeySchema = new Schema({
  _id: { type: String, required: true },
  /** Random bytes, hex. */
  value: { type: String, required: true },
  createdAt: { type: Date, required: true },
});

export type ServerKeyFields = InferSchemaType<typeof serverKeySchema>;
export const ServerKey = model<ServerKeyFields>('ServerKey', serverKeySchema);
