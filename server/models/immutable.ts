import type { Schema } from 'mongoose';

const UPDATE_OPERATIONS = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'replaceOne',
] as const;

/**
 * Makes a collection append-only as far as the application goes: every mongoose update path throws, and
 * saving an already stored document throws. Only deletion stays possible where the schema's owner allows it.
 */
export function appendOnly(schema: Schema, what: string): void {
  const refuse = () => {
    throw new Error(`${what} is immutable: it can be added, never changed`);
  };
  for (const operation of UPDATE_OPERATIONS) schema.pre(operation, refuse);
  schema.pre('save', function (this: { isNew: boolean }) {
    if (!this.isNew) refuse();
  });
}
