// Labelled form fields that show the server's message next to the field it names.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http';
import { brand } from '../brand';

/** The server's words for one field's problem: from the list of every invalid field, or the single named one. */
export function fieldError(error: unknown, field: string): string | null {
  if (!(error instanceof ApiError)) return null;
  const listed = error.fields[field];
  if (listed) return listed;
  if (error.field !== field) return null;
  // A single-field answer reads "email: must be …"; beside the field, the key says nothing.
  const words = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface FieldProps {
  id: string;
  label: string;
  hint?: ComponentChildren;
  error?: string | null;
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

export function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children(describedBy, Boolean(error))}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${brand().name}` : brand().name;
  }, [title]);
}

export interface Action {
  busy: boolean;
  /** The last run's failure (for `FormError` and `fieldError`); cleared when the next run starts. */
  error: unknown;
  /** The last run succeeded; cleared when the next run starts. */
  done: boolean;
  run: (work: () => Promise<unknown>) => Promise<void>;
  /** A form's submit handler (as in react-hook-form): the page stays put and `work` runs. */
  handleSubmit: (work: () => Promise<unknown>) => (event: Event) => void;
  /** For failures that happen outside a run (an optimistic update rolled back, a closed panel). */
  setError: (error: unknown) => void;
}

/**
 * The busy/error/done state of one user action. With `busyAfterSuccess`, a success leaves it busy:
 * for actions that navigate away or unmount their form, so it cannot be sent twice on the way out.
 */
export function useAction({ busyAfterSuccess = false }: { busyAfterSuccess?: boolean } = {}): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      setDone(false);
      try {
        await work();
        setDone(true);
        if (!busyAfterSuccess) setBusy(false);
      } catch (failure) {
        setError(failure);
        setBusy(false);
      }
    },
    [busyAfterSuccess],
  );
  const handleSubmit = useCallback(
    (work: () => Promise<unknown>) => (event: Event) => {
      event.preventDefault();
      void run(work);
    },
    [run],
  );
  return { busy, error, done, run, handleSubmit, setError };
}
