import type { ReactNode } from 'react';
import styles from './new-sweep-form.module.css';

interface FormFieldProps {
  /** The field's key, as issue paths name it (e.g. `parameters.dropout`). */
  field: string;
  label: string;
  hint?: string;
  errors?: string[];
  /** Renders the control with the ids and aria props it needs. */
  children: (control: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled control with its hint and its validation messages underneath. */
export function FormField({ field, label, hint, errors, children }: FormFieldProps) {
  const id = `field-${field.replace(/\./g, '-')}`;
  const invalid = errors !== undefined && errors.length > 0;
  const describedBy = [hint ? `${id}-hint` : '', invalid ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {label}
      </label>
      {children({ id, 'aria-invalid': invalid, ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint && (
        <p id={`${id}-hint`} className={styles.hint}>
          {hint}
        </p>
      )}
      {invalid && (
        <p id={`${id}-error`} className={styles.error} data-testid={`error-${field}`} role="alert">
          {errors.join('; ')}
        </p>
      )}
    </div>
  );
}
